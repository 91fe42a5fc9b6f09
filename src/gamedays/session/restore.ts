import { type Clock, messageOf } from "../../core/index.ts";
import {
  type Check,
  type Conflict,
  type ConflictPolicy,
  checkPlan,
  conflictsOf,
  Journal,
  ownerIsDeadHere,
  RunRecords,
  undoRunById,
} from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { appendEntry } from "../timeline/index.ts";
import type { CheckRunner, NamedCheckResult } from "./checks.ts";
import type { SessionRepository } from "./repository.ts";

/** Objectives after a restore get at least this long to pass again (a service reloading its config). */
export const RESTORE_WITHIN_MS = 10_000;

export interface RestoreOutcome {
  /** Every injected fault's undo ended `rolled_back` (or it had nothing to undo). */
  readonly undone: boolean;
  /** Every objective passed after the undo. */
  readonly objectivesPass: boolean;
  readonly clean: boolean;
  readonly objectives: readonly NamedCheckResult[];
}

/**
 * Undo every fault of a session from the journal, newest first, then check the objectives:
 * the environment is back only when both hold. Idempotent: a fault already undone is undone
 * again harmlessly (the engine leaves undone steps alone).
 */
export async function restoreFaults(
  ctx: {
    store: Store;
    clock: Clock;
    repo: SessionRepository;
    owner: string;
    checker: CheckRunner;
    withinMs?: number;
    /** What undo does with what the players changed since a fault: `restore` unless said otherwise. */
    onConflict?: ConflictPolicy;
  },
  sessionId: string,
  objectives: readonly Check[],
): Promise<RestoreOutcome> {
  const { store, clock, repo } = ctx;
  const note = (
    kind: "restore.started" | "fault.restored" | "fault.conflict" | "restore.finished",
    text: string,
    data = {},
  ) => appendEntry(store.db, clock, sessionId, { kind, source: "auto", text, data });
  await note("restore.started", "undoing every fault through the operations engine");
  // A fault run whose process died is `running` in the journal until it is marked interrupted.
  await new Journal(store, clock).markInterrupted(ownerIsDeadHere);
  const session = await repo.get(sessionId);
  let undone = true;
  const claimed = new Set(session.faults.map((f) => f.runId).filter((r): r is string => r !== null));
  for (const recorded of [...session.faults].reverse()) {
    let fault = recorded;
    if (fault.runId === null && fault.status === "injecting") {
      // The process died between starting the fault's run and recording its id.
      const runs = await new RunRecords(store).idsOfOperationSince(fault.operationId, session.startedAt);
      const runId = runs.find((id) => !claimed.has(id));
      if (runId === undefined) continue;
      claimed.add(runId);
      fault = { ...fault, runId };
      await repo.setFault(sessionId, fault.index, { run_id: runId });
    }
    if (fault.runId === null) continue;
    let status: string;
    let detail = "";
    try {
      const row = await new RunRecords(store).find(fault.runId);
      if (!row) throw new Error(`run ${fault.runId} is not in the journal`);
      const journal = new Journal(store, clock);
      // Only the conflicts this undo meets go on the timeline (a restore after a crash repeats none).
      const before = Number(row.next_seq) - 1;
      // Secrets are not in the store: from their declared source, or the restore is refused
      // naming them. The drill must leave the world as it was and lose nothing the players wrote.
      const result = await undoRunById(fault.runId, {
        store,
        clock,
        owner: ctx.owner,
        onConflict: ctx.onConflict ?? "restore",
      });
      for (const c of await conflictsOf(journal, fault.runId, before))
        await noteConflict(fault.name, fault.runId, c);
      status = result.status;
      detail = result.unrestored.map((u) => `${u.target}/${u.step}: ${u.reason}`).join("; ");
    } catch (error) {
      status = "undo_refused";
      detail = messageOf(error);
    }
    const ok = status === "rolled_back";
    if (!ok) undone = false;
    await repo.setFault(sessionId, fault.index, {
      restore_status: status,
      restored_at: clock.now().toISOString(),
    });
    await note(
      "fault.restored",
      ok
        ? `fault ${fault.name} undone (run ${fault.runId})`
        : `fault ${fault.name} NOT fully undone: ${status}${detail ? ` — ${detail}` : ""}`,
      { fault: fault.name, run_id: fault.runId, status, ...(detail ? { detail } : {}) },
    );
  }
  async function noteConflict(faultName: string, runId: string, c: Conflict): Promise<void> {
    const kept = c.kept_at ? `; theirs is kept at ${c.kept_at}` : "";
    const outcome =
      c.policy === "restore"
        ? `put back as before the fault${kept}`
        : c.policy === "keep"
          ? "left as they made it"
          : "left alone (refuse)";
    await note(
      "fault.conflict",
      `the players changed ${c.resource} since fault ${faultName} (before: ${c.pre}; after the fault: ${c.post}; found: ${c.now}): ${outcome}`,
      { fault: faultName, run_id: runId, ...c },
    );
  }
  const results: NamedCheckResult[] = [];
  for (const check of objectives) {
    const own = checkPlan(check).withinMs;
    results.push(await ctx.checker(check, { withinMs: Math.max(own, ctx.withinMs ?? RESTORE_WITHIN_MS) }));
  }
  const objectivesPass = results.every((r) => r.ok);
  const clean = undone && objectivesPass;
  const failing = results
    .filter((r) => !r.ok)
    .map((r) => `${r.name}: expected ${r.expected}, observed ${r.observed}`);
  await note(
    "restore.finished",
    clean
      ? "every fault undone and every objective passes: the environment is back"
      : `the environment is NOT clean: ${[!undone ? "some faults were not undone" : "", ...failing].filter(Boolean).join("; ")}`,
    { clean, undone, objectives: results.map((r) => ({ name: r.name, ok: r.ok, observed: r.observed })) },
  );
  return { undone, objectivesPass, clean, objectives: results };
}
