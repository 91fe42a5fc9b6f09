import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { tempDir } from "../../../../test/support/temp.ts";
import { FileBlobStore } from "../../../store/index.ts";
import type { ActionContext, ActionProvider } from "../provider.ts";

/**
 * A tree as the tests compare it: type, permission bits, a hash of the bytes, link targets,
 * entries by name — read with lstat, never following a link. Written apart from node-state.ts
 * so that the code under test does not judge itself.
 */
export type Snapshot =
  | { type: "absent" }
  | { type: "file"; mode: string; sha256: string }
  | { type: "symlink"; target: string }
  | { type: "dir"; mode: string; entries: [string, Snapshot][] }
  | { type: "other" };

export async function snapshot(path: string): Promise<Snapshot> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { type: "absent" };
    throw error;
  }
  const mode = (stats.mode & 0o7777).toString(8);
  if (stats.isSymbolicLink()) return { type: "symlink", target: await readlink(path) };
  if (stats.isFile())
    return {
      type: "file",
      mode,
      sha256: createHash("sha256")
        .update(await readFile(path))
        .digest("hex"),
    };
  if (stats.isDirectory()) {
    const names = (await readdir(path)).sort();
    const entries: [string, Snapshot][] = [];
    for (const name of names) entries.push([name, await snapshot(join(path, name))]);
    return { type: "dir", mode, entries };
  }
  return { type: "other" };
}

/** A run context with a real blob store in its own temp dir (outside the tree under test). */
export async function testContext(runId = "01RUNTEST"): Promise<ActionContext> {
  return {
    runId,
    blobs: new FileBlobStore(await tempDir("opsdojo-blobs-")),
    signal: new AbortController().signal,
  };
}

/** The journal keeps pre-states as JSON; tests pass them through JSON too. */
function journalled<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type AnyProvider = ActionProvider<Record<string, unknown>, unknown>;

/**
 * The undo contract for one input on the tree under `root`: act changes the tree, acting again
 * changes nothing more, undo brings back the exact snapshot, and a second undo changes nothing.
 * Returns the tree as act left it for further assertions.
 */
export async function expectActThenUndoRestores(
  provider: AnyProvider,
  input: Record<string, unknown>,
  root: string,
  context?: ActionContext,
): Promise<{ before: Snapshot; after: Snapshot; output: unknown }> {
  const ctx = context ?? (await testContext());
  provider.validate(input);
  const before = await snapshot(root);
  const state = journalled(await provider.capture(input, ctx));
  expect(await snapshot(root), "capture changed the tree").toEqual(before);
  const output = await provider.act(input, state, ctx);
  const after = await snapshot(root);
  expect(after, "act changed nothing").not.toEqual(before);
  await provider.act(input, state, ctx);
  expect(await snapshot(root), "a second act changed the tree again").toEqual(after);
  expect(await provider.undo(input, state, ctx)).toMatchObject({ restored: true });
  expect(await snapshot(root), "undo did not restore the tree").toEqual(before);
  expect(await provider.undo(input, state, ctx)).toMatchObject({ restored: true });
  expect(await snapshot(root), "a second undo changed the tree").toEqual(before);
  return { before, after, output };
}

/** Capture then undo without act (the process died in between): nothing changes. */
export async function expectUndoWithoutActIsHarmless(
  provider: AnyProvider,
  input: Record<string, unknown>,
  root: string,
): Promise<void> {
  const ctx = await testContext();
  const before = await snapshot(root);
  const state = journalled(await provider.capture(input, ctx));
  expect(await provider.undo(input, state, ctx)).toMatchObject({ restored: true });
  expect(await snapshot(root)).toEqual(before);
}

/** describe() must not change anything. */
export async function describeWithoutChange(
  provider: AnyProvider,
  input: Record<string, unknown>,
  root: string,
) {
  const ctx = await testContext();
  const before = await snapshot(root);
  const previews = await provider.describe(input, ctx);
  expect(await snapshot(root), "describe changed the tree").toEqual(before);
  return previews;
}

/** Names a shell, a parser or a careless join would trip over. */
export const HOSTILE_NAMES = [
  "with space",
  "new\nline",
  "-rf",
  "__proto__",
  " leading and trailing ",
  "$(touch pwned)",
  "*",
  "ünïcødé ✓",
  "'quote\"",
  "back\\slash",
  "n".repeat(255), // the longest name a Linux filesystem takes: temp and trash names must not grow it
] as const;
