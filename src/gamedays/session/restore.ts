import type { Clock } from "../../core/index.ts";
import type { Check, ParamValue } from "../../operations/index.ts";
import {
  checkPlan,
  Journal,
  operationOfRun,
  ownerIsDeadHere,
  supplySecrets,
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
  },
  sessionId: string,
  objectives: readonly Check[],
): Promise<RestoreOutcome> {
  const { store, clock, repo } = ctx;
  const note = (kind: "restore.started" | "fault.restored" | "restore.finished", text: string, data = {}) =>
    appendEntry(store.db, clock, sessionId, { kind, source: "auto", text, data });
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
      const run = await store.db
        .selectFrom("runs")
        .select("id")
        .where("operation_id", "=", fault.operationId)
        .where("created_at", ">=", session.startedAt)
        .orderBy("id")
        .execute();
      const runId = run.map((r) => r.id).find((id) => !claimed.has(id));
      if (runId === undefined) continue;
      claimed.add(runId);
      fault = { ...fault, runId };
      await repo.setFault(sessionId, fault.index, { run_id: runId });
    }
    if (fault.runId === null) continue;
    let status: string;
    let detail = "";
    try {
      const registered = await operationOfRun(store, fault.runId);
      const row = await store.db
        .selectFrom("runs")
        .select("params")
        .where("id", "=", fault.runId)
        .executeTakeFirst();
      if (!registered || !row) throw new Error(`run ${fault.runId} is not in the journal`);
      const result = await undoRunById(
        fault.runId,
        {
          operation: registered.operation,
          // Secrets are not in the store: from their declared source, or the restore is refused naming them.
          params: supplySecrets({
            runId: fault.runId,
            operation: registered.operation,
            stored: JSON.parse(row.params) as Record<string, ParamValue>,
          }),
        },
        { store, clock, owner: ctx.owner },
      );
      status = result.status;
      detail = result.unrestored.map((u) => `${u.target}/${u.step}: ${u.reason}`).join("; ");
    } catch (error) {
      status = "undo_refused";
      detail = (error as Error).message;
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
