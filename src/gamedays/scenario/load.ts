import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { FileUnreadableError, messageOf, plural, resolveInsideRoot } from "../../core/index.ts";
import {
  displayPath,
  type FileIssue,
  type Locator,
  type Operation,
  OperationFileError,
  OperationParamsError,
  type ParamValue,
  type Position,
  parseDuration,
  parseOperation,
  placeSchemaErrors,
  readYamlMapping,
  resolveParams,
  type Segment,
  showValue,
} from "../../operations/index.ts";
import { ScenarioFileError } from "../errors.ts";
import { type Fault, type Scenario, ScenarioSchema } from "./model.ts";

/** Larger files are refused before parsing, like operation files. */
export const MAX_SCENARIO_FILE_BYTES = 4 * 1024 * 1024;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(ScenarioSchema);
  return compiled;
}

/** A fault ready to run: the operation it is, the text registered for it, and its params. */
export interface ResolvedFault {
  readonly fault: Fault;
  readonly index: number;
  readonly operation: Operation;
  /** The text registered in the catalogue (the file's text, or the inline steps as operation/v1 JSON). */
  readonly source: string;
  /** Where the operation comes from: its file, or `scenario.yaml#faults[0]` for inline steps. */
  readonly file: string;
  readonly params: Record<string, ParamValue>;
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  readonly source: string;
  readonly faults: readonly ResolvedFault[];
}

/**
 * Read and check a scenario file and every fault's operation: all problems at once, each with
 * file:line:column (problems inside an operation file name that file).
 *
 * @example const { scenario, faults } = await loadScenario("examples/gamedays/broken-config/scenario.yaml");
 */
export async function loadScenario(file: string): Promise<LoadedScenario> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
  return resolveScenario(source, file);
}

export interface ResolveOptions {
  /**
   * Read operation files only inside this directory (the server's `--files-root`): `file` and
   * the paths it names are resolved against it, a path that leads out (`..`, an absolute path
   * elsewhere, a symlink) is refused, and problems inside an operation file are reported by
   * position only — the server never quotes a file it read on behalf of a request.
   */
  readonly filesRoot?: string | undefined;
}

/**
 * Check a scenario text and resolve every fault's operation, as `loadScenario` does for a file:
 * the text of a registered scenario, with `file` the path it was registered from (operation
 * files a fault names are read relative to it, on this machine).
 */
export async function resolveScenario(
  source: string,
  file: string,
  options: ResolveOptions = {},
): Promise<LoadedScenario> {
  const root = options.filesRoot;
  const { scenario, locator } = parseScenarioText(source, file);
  const issues: FileIssue[] = [];
  const faults: ResolvedFault[] = [];
  for (const [index, fault] of scenario.faults.entries()) {
    const at = (path: Segment[], key = false): Position =>
      locator.position(["faults", index, ...path], { key });
    const issue = (path: Segment[], message: string): FileIssue => ({
      file,
      ...at(path),
      path: displayPath(["faults", index, ...path]),
      message,
    });
    let operation: Operation;
    let opSource: string;
    let opFile: string;
    if (fault.operation !== undefined) {
      if (root !== undefined) {
        const rooted = await resolveInsideRoot(root, dirname(file), fault.operation);
        opFile = rooted.path;
        if (!rooted.ok) {
          issues.push(issue(["operation"], `refused to read the operation file ${opFile}: ${rooted.reason}`));
          continue;
        }
        // A device or a huge file would hold the server; an operation file is small and regular.
        const info = await stat(opFile).catch(() => undefined);
        if (info && (!info.isFile() || info.size > MAX_SCENARIO_FILE_BYTES)) {
          issues.push(
            issue(
              ["operation"],
              `refused to read ${opFile}: expected a regular file of at most ${MAX_SCENARIO_FILE_BYTES} bytes`,
            ),
          );
          continue;
        }
      } else {
        opFile = isAbsolute(fault.operation) ? fault.operation : resolve(dirname(file), fault.operation);
      }
      try {
        opSource = await readFile(opFile, "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? messageOf(error);
        issues.push(issue(["operation"], `cannot read the operation file ${opFile}: ${code}`));
        continue;
      }
      try {
        operation = parseOperation(opSource, opFile);
      } catch (error) {
        if (!(error instanceof OperationFileError)) throw error;
        if (root !== undefined) {
          // Any file under the root may be named here, and a problem quotes what it found (a
          // value, a key): say where each problem is, never what the file says.
          const at = error.issues.map((i) => `${i.line}:${i.column}`).join(", ");
          issues.push(
            issue(
              ["operation"],
              `${opFile} is not a valid operation/v1 file (problems at line:column ${at}); check it with \`opsdojo validate ${opFile}\` where it is`,
            ),
          );
          continue;
        }
        issues.push(
          issue(
            ["operation"],
            `the operation file is not valid (${plural(error.issues.length, "problem")} below)`,
          ),
        );
        issues.push(...error.issues);
        continue;
      }
    } else {
      // Inline steps become an operation of their own, checked by the operation loader; its
      // problems are placed back where the steps are written in the scenario.
      const inline = {
        opsdojo: "operation/v1",
        name: `${scenario.name}-${fault.name}`.slice(0, 100).replace(/-+$/, ""),
        description: `fault ${fault.name} of scenario ${scenario.name}`,
        steps: fault.steps,
      };
      opSource = `${JSON.stringify(inline, null, 2)}\n`;
      opFile = `${file}#faults[${index}]`;
      try {
        operation = parseOperation(opSource, opFile);
      } catch (error) {
        if (!(error instanceof OperationFileError)) throw error;
        for (const i of error.issues) {
          const path = parseDisplayPath(i.path);
          issues.push(issue(path, i.message));
        }
        continue;
      }
    }
    let params: Record<string, ParamValue> = {};
    try {
      params = resolveParams(
        Object.entries(fault.params ?? {}).map(([k, v]) => `${k}=${String(v)}`),
        operation,
      );
    } catch (error) {
      if (!(error instanceof OperationParamsError)) throw error;
      for (const p of error.problems) issues.push(issue(fault.params ? ["params"] : ["name"], p));
      continue;
    }
    faults.push({ fault, index, operation, source: opSource, file: opFile, params });
  }
  if (issues.length > 0) throw new ScenarioFileError(file, issues);
  return { scenario, file, source, faults };
}

/** `steps[0].with.path` → ["steps", 0, "with", "path"]. */
export function parseDisplayPath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /(?:^|\.)([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/** Check the text of a scenario file (not the operation files it names); `file` names it in the issues. */
export function parseScenario(text: string, file: string): Scenario {
  return parseScenarioText(text, file).scenario;
}

function parseScenarioText(text: string, file: string): { scenario: Scenario; locator: Locator } {
  const { value, locator, issue, tagIssues } = readYamlMapping(text, file, {
    maxBytes: MAX_SCENARIO_FILE_BYTES,
    format: "opsdojo: scenario/v1",
    fail: (issues, cause) => {
      throw new ScenarioFileError(file, issues, cause === undefined ? {} : { cause });
    },
  });
  const issues: FileIssue[] = [...tagIssues];
  const validate = validator();
  if (!validate(value)) {
    for (const p of placeSchemaErrors(validate.errors ?? [], locator))
      issues.push({ file, ...p, path: displayPath(p.path) });
  }
  const schemaPaths = new Set(issues.map((i) => i.path));
  for (const p of semanticProblems(value as Record<string, unknown>)) {
    if (schemaPaths.has(displayPath(p.path))) continue;
    issues.push(issue(locator.position(p.path, { key: p.key ?? false }), p.path, p.message));
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ScenarioFileError(file, issues);
  }
  return { scenario: value as unknown as Scenario, locator };
}

interface Problem {
  readonly path: readonly Segment[];
  readonly message: string;
  readonly key?: boolean;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asMap = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** What the schema cannot say: one source per fault, one offset per hint, unique names, offsets inside the timebox. */
function semanticProblems(s: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const duration = (v: unknown, path: Segment[]): number | undefined => {
    if (typeof v !== "string" || !/^[0-9]+(ms|s|m|h)$/.test(v)) return undefined;
    const ms = parseDuration(v);
    if (ms === undefined) problems.push({ path, message: `got ${showValue(v)}; the duration is too large` });
    return ms;
  };
  const timebox = duration(s.timebox, ["timebox"]);
  if (timebox === 0) problems.push({ path: ["timebox"], message: "the timebox must be longer than 0s" });
  const offset = (v: unknown, path: Segment[]) => {
    const ms = duration(v, path);
    if (ms !== undefined && timebox !== undefined && ms >= timebox)
      problems.push({
        path,
        message: `got ${showValue(v)}; expected an offset inside the timebox (${String(s.timebox)})`,
      });
  };
  const ids = new Map<string, string>();
  const unique = (name: unknown, path: Segment[]) => {
    if (typeof name !== "string") return;
    const earlier = ids.get(name);
    if (earlier)
      problems.push({
        path,
        message: `${showValue(name)} is already the name of ${earlier}; names must be unique`,
      });
    else ids.set(name, displayPath(path.slice(0, 2)));
  };
  for (const [i, raw] of asList(s.faults).entries()) {
    const fault = asMap(raw);
    unique(fault.name, ["faults", i, "name"]);
    offset(fault.at, ["faults", i, "at"]);
    const hasOp = fault.operation !== undefined;
    const hasSteps = fault.steps !== undefined;
    if (hasOp === hasSteps)
      problems.push({
        path: ["faults", i],
        message: hasOp
          ? "has both operation and steps; expected one: an operation file or inline steps"
          : "expected operation (an operation/v1 file) or steps (inline steps)",
      });
    if (hasSteps && fault.params !== undefined)
      problems.push({
        path: ["faults", i, "params"],
        key: true,
        message: "inline steps declare no params; write the values into the steps",
      });
  }
  for (const [i, raw] of asList(s.injects).entries()) {
    const inject = asMap(raw);
    unique(inject.name, ["injects", i, "name"]);
    offset(inject.at, ["injects", i, "at"]);
  }
  for (const [i, raw] of asList(s.hints).entries()) {
    const hint = asMap(raw);
    unique(hint.name, ["hints", i, "name"]);
    if ((hint.at === undefined) === (hint.after === undefined))
      problems.push({ path: ["hints", i], message: "expected exactly one of at or after (the same thing)" });
    offset(hint.at ?? hint.after, ["hints", i, hint.at === undefined ? "after" : "at"]);
  }
  const checks = (list: unknown, section: string) => {
    for (const [i, raw] of asList(list).entries()) {
      const check = asMap(raw);
      duration(check.within, [section, i, "within"]);
      duration(check.fails_for, [section, i, "fails_for"]);
      for (const [path, text] of strings(check, [section, i])) {
        if (text.includes("${"))
          problems.push({
            path,
            message: `got ${showValue(text)}; scenario checks take no \${…} references`,
          });
      }
    }
  };
  checks(s.objectives, "objectives");
  checks(s.stop_conditions, "stop_conditions");
  duration(s.stable_for, ["stable_for"]);
  const roles = asList(s.roles);
  const seenRoles = new Set<unknown>();
  for (const [i, role] of roles.entries()) {
    if (seenRoles.has(role))
      problems.push({ path: ["roles", i], message: `${showValue(role)} is listed twice` });
    seenRoles.add(role);
  }
  return problems;
}

function* strings(value: unknown, path: Segment[]): Generator<[Segment[], string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}
