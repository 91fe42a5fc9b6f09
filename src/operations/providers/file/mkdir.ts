import { dirname } from "node:path";
import { plural } from "../../../core/index.ts";
import type { FileSystem } from "../../hosts/index.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import {
  defineFileAction,
  effectivePath,
  failed,
  fileSystemOf,
  guarded,
  notRestored,
  octal,
} from "./common.ts";
import { asRecord, assertKnownFields, checkPath, optionalBoolean, optionalMode } from "./inputs.ts";
import { isErrno, lstatOrUndefined } from "./node-state.ts";
import { fileReconciler } from "./reconcile.ts";

const ACTION = "file.mkdir";
const FIELDS = ["path", "mode", "parents", "follow_symlinks"] as const;
const NEW_DIR_MODE = 0o755;

export interface FileMkdirState {
  readonly path: string;
  /** Directories that did not exist, outermost first; the last one is `path` unless it existed. */
  readonly missing: readonly string[];
  /** What was at `path` when it existed: its type (a non-directory makes `act` fail). */
  readonly existing?: "dir" | "other";
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  return {
    path: checkPath(ACTION, "path", record.path),
    mode: optionalMode(ACTION, record, "mode"),
    parents: optionalBoolean(ACTION, record, "parents"),
    follow: optionalBoolean(ACTION, record, "follow_symlinks"),
  };
}

async function missingDirs(
  fs: FileSystem,
  path: string,
): Promise<{ missing: string[]; existing?: "dir" | "other" }> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    const stats = await lstatOrUndefined(fs, current);
    if (stats !== undefined) {
      if (current === path) return { missing, existing: stats.isDirectory() ? "dir" : "other" };
      return { missing };
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) return { missing };
    current = parent;
  }
}

/**
 * `file.mkdir {path, mode?, parents?}` — make a directory (and, with `parents`, the missing
 * ones above it). An existing directory is left as it is. Undo removes exactly the directories
 * this action made, innermost first, and only while they are empty: it never removes something
 * another step or person put there.
 *
 * @example
 * { uses: file.mkdir, with: { path: /srv/app/releases/v2, parents: true, mode: "0750" } }
 */
export const fileMkdir: ActionProvider<Record<string, unknown>, FileMkdirState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileMkdirState>({ paths: (s) => [s.path] }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, follow, mode, parents } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    const { missing, existing } = await missingDirs(fs, path);
    const resource = `directory ${path}`;
    if (existing === "dir") return [{ resource, change: "none", detail: "already exists" }];
    if (existing === "other")
      return [{ resource, change: "unknown", detail: "exists and is not a directory: mkdir will fail" }];
    if (missing.length > 1 && !parents)
      return [
        {
          resource,
          change: "unknown",
          detail: `${dirname(path)} does not exist: mkdir will fail without parents: true`,
        },
      ];
    return [
      {
        resource,
        change: "create",
        detail: `mode ${octal(mode ?? NEW_DIR_MODE)}; creates ${plural(missing.length, "directory", "directories")}`,
      },
    ];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    return { path, ...(await missingDirs(fs, path)) };
  },
  async act(input, state, context) {
    const fs = await fileSystemOf(context);
    const { mode, parents } = parse(input);
    return guarded(ACTION, async () => {
      if (state.existing === "other") throw failed(ACTION, `${state.path} exists and is not a directory`);
      if (state.missing.length > 1 && !parents)
        throw failed(ACTION, `${dirname(state.path)} does not exist; set parents: true`);
      for (const dir of state.missing) {
        const wanted = dir === state.path ? (mode ?? NEW_DIR_MODE) : NEW_DIR_MODE;
        const stats = await lstatOrUndefined(fs, dir);
        if (stats === undefined) await fs.mkdir(dir, { mode: 0o700 });
        else if (!stats.isDirectory()) throw failed(ACTION, `${dir} exists and is not a directory`);
        // Explicitly, so the umask does not decide; again after a crash between mkdir and chmod.
        await fs.chmod(dir, wanted);
      }
      return { path: state.path, created: state.missing.length };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      for (const dir of [...state.missing].reverse()) {
        const stats = await lstatOrUndefined(fs, dir);
        if (stats === undefined) continue;
        if (!stats.isDirectory()) return notRestored(`${dir} is no longer a directory; left as it is`);
        try {
          await fs.rmdir(dir);
        } catch (error) {
          if (isErrno(error, "ENOTEMPTY") || isErrno(error, "EEXIST")) {
            return notRestored(`${dir} is not empty any more; left as it is`);
          }
          throw error;
        }
      }
      return { restored: true };
    });
  },
});
