import { readFile, rename, writeFile } from "node:fs/promises";
import { messageOf } from "../../core/index.ts";
import { InvalidStateError } from "./errors.ts";
import type { MinerState, Template } from "./model.ts";

/**
 * Check that parsed JSON is a miner state (what `TemplateMiner.state()` returns), so a later run
 * can continue from it with the same template ids.
 */
export function parseState(value: unknown, file = "the state"): MinerState {
  const fail = (reason: string): never => {
    throw new InvalidStateError(file, reason);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) return fail("not a JSON object");
  const v = value as Record<string, unknown>;
  if (v.version !== 1) return fail(`version ${JSON.stringify(v.version)} is not 1`);
  if (!Number.isSafeInteger(v.nextId) || (v.nextId as number) < 1)
    return fail("nextId is not a positive integer");
  if (!Array.isArray(v.templates)) return fail("templates is not a list");
  const nextId = v.nextId as number;
  const templates: Template[] = [];
  const ids = new Set<number>();
  for (const [i, t] of v.templates.entries()) {
    const at = `templates[${i}]`;
    if (t === null || typeof t !== "object") return fail(`${at} is not an object`);
    const { id, tokens, count } = t as Record<string, unknown>;
    if (!Number.isSafeInteger(id) || (id as number) < 1 || (id as number) >= nextId) {
      return fail(`${at}.id is not an integer from 1 to nextId - 1`);
    }
    if (ids.has(id as number)) return fail(`${at}.id ${String(id)} appears twice`);
    if (
      !Array.isArray(tokens) ||
      !tokens.every((x) => typeof x === "string" && x.length > 0 && !/\s/.test(x))
    ) {
      return fail(`${at}.tokens is not a list of tokens without whitespace`);
    }
    if (!Number.isSafeInteger(count) || (count as number) < 0) return fail(`${at}.count is not a count`);
    ids.add(id as number);
    templates.push({ id: id as number, tokens: tokens as string[], count: count as number });
  }
  const aliases: Record<string, number> = {};
  if (v.aliases !== undefined) {
    if (v.aliases === null || typeof v.aliases !== "object") return fail("aliases is not an object");
    for (const [from, to] of Object.entries(v.aliases as Record<string, unknown>)) {
      if (!/^[1-9]\d*$/.test(from) || typeof to !== "number" || !ids.has(to)) {
        return fail(`aliases.${from} does not lead to a template`);
      }
      aliases[from] = to;
    }
  }
  if (v.logFormat !== undefined && typeof v.logFormat !== "string") return fail("logFormat is not a string");
  return {
    version: 1,
    nextId,
    templates,
    aliases,
    ...(typeof v.logFormat === "string" ? { logFormat: v.logFormat } : {}),
  };
}

/** Read a state file; `undefined` when it does not exist (a first run). */
export async function readStateFile(file: string): Promise<MinerState | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidStateError(file, `not JSON (${messageOf(error)})`, error);
  }
  return parseState(value, file);
}

/** Write a state file whole or not at all (temp file, then rename). */
export async function writeStateFile(file: string, state: MinerState): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}
