import { createHash } from "node:crypto";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join, normalize } from "node:path";
import type { Clock } from "../../core/index.ts";
import { ownerIsDeadHere } from "../engine/owner.ts";
import { PathLockedError } from "./errors.ts";

/**
 * Per-path locks, so two runs never change the same local path at once — two CLIs on one store,
 * a CLI and a server, two servers on one machine. A lock is a file `<sha256 of the path>.lock`
 * created with O_EXCL in a directory of this machine (paths are local, so locks are too: two
 * machines sharing a PostgreSQL store each have their own `/srv/app`), holding the path, the run
 * and the process (`host:pid`). A run takes a step's paths just before the step captures them
 * and keeps them until it ends, when releaseRun removes them. A process that died (kill -9,
 * power cut) cannot release: its locks are stale once `host:pid` no longer exists here, and the
 * next run that wants the path removes them.
 */
export interface PathLocksOptions {
  /** Default: `$TMPDIR/opsdojo-path-locks-<uid>` (one per user: users cannot touch each other's files). */
  readonly dir?: string;
  readonly owner: string;
  readonly clock: Clock;
  /** How long a run waits for a path another run holds before it fails the step (default 10 s). */
  readonly waitMs?: number;
  /** How often a waiting run looks again. */
  readonly pollMs?: number;
}

interface Holder {
  readonly path: string;
  readonly runId: string;
  readonly owner: string;
}

export function defaultLockDir(): string {
  let uid: number | string = "user";
  try {
    uid = userInfo().uid;
  } catch {
    // no user entry (some containers): one directory for all
  }
  return join(tmpdir(), `opsdojo-path-locks-${uid}`);
}

/** The key a path is locked by: normalised, without a trailing slash. */
export function lockKey(path: string): string {
  let p = normalize(path);
  while (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

export class PathLocks {
  readonly #dir: string;
  readonly #owner: string;
  readonly #clock: Clock;
  readonly #waitMs: number;
  readonly #pollMs: number;
  /** Lock files this process holds, by run. */
  readonly #held = new Map<string, Set<string>>();

  constructor(options: PathLocksOptions) {
    this.#dir = options.dir ?? defaultLockDir();
    this.#owner = options.owner;
    this.#clock = options.clock;
    this.#waitMs = options.waitMs ?? 10_000;
    this.#pollMs = options.pollMs ?? 100;
  }

  /** Take every path for the run (in a fixed order), waiting up to waitMs for each held one. */
  async acquire(runId: string, paths: readonly string[], signal?: AbortSignal): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const keys = [...new Set(paths.map(lockKey))].sort();
    const start = this.#clock.now().getTime();
    for (const path of keys) {
      for (;;) {
        const holder = await this.#tryLock(runId, path);
        if (holder === undefined) break;
        const waited = this.#clock.now().getTime() - start;
        if (waited >= this.#waitMs || signal?.aborted) throw new PathLockedError(path, holder, waited);
        await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
      }
    }
  }

  /** Release every lock the run holds; safe to call more than once. */
  async releaseRun(runId: string): Promise<void> {
    const files = this.#held.get(runId);
    this.#held.delete(runId);
    for (const file of files ?? []) await rm(file, { force: true });
  }

  /** Undefined when the run now holds the path; else who holds it. */
  async #tryLock(runId: string, path: string): Promise<Holder | undefined> {
    const file = join(this.#dir, `${createHash("sha256").update(path).digest("hex")}.lock`);
    const mine: Holder = { path, runId, owner: this.#owner };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(file, "wx", 0o600);
        try {
          await handle.writeFile(JSON.stringify(mine));
        } finally {
          await handle.close();
        }
        this.#hold(runId, file);
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await readHolder(file);
      if (holder === undefined) {
        // Being written this instant (created, not yet filled) — or left empty by a process that
        // died between create and write, which only age tells apart.
        const age = await stat(file).then(
          (s) => this.#clock.now().getTime() - s.mtimeMs,
          () => 0,
        );
        if (age > 5000) await rm(file, { force: true });
        if (age > 5000) continue;
        return { path, runId: "(starting)", owner: "(unknown)" };
      }
      if (holder.runId === runId && holder.owner === this.#owner) {
        this.#hold(runId, file);
        return undefined;
      }
      if (!ownerIsDeadHere(holder.owner)) return holder;
      // The holder died without releasing: its lock is stale. Remove it and try again.
      await rm(file, { force: true });
    }
    return { path, runId: "(contended)", owner: "(unknown)" };
  }

  #hold(runId: string, file: string): void {
    const files = this.#held.get(runId) ?? new Set<string>();
    files.add(file);
    this.#held.set(runId, files);
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<Holder>;
    return typeof parsed.runId === "string" &&
      typeof parsed.owner === "string" &&
      typeof parsed.path === "string"
      ? (parsed as Holder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The local paths a step changes: the path fields of `file.*` actions (other actions: none). */
export function pathsOf(action: string, input: Record<string, unknown>): string[] {
  if (!action.startsWith("file.")) return [];
  return ["path", "from", "to"]
    .map((field) => input[field])
    .filter((v): v is string => typeof v === "string" && v.startsWith("/"));
}
