import type { AnyProvider } from "../actions/index.ts";
import type { ActionContext } from "../providers/provider.ts";
import type { Conflict } from "./model.ts";
import { CONFLICT, type EventJournal, KEPT_ASIDE } from "./recorded.ts";

async function allEvents(journal: EventJournal, runId: string, from = 0) {
  const all = [];
  for (let after = from; ; ) {
    const events = await journal.events(runId, after, 5000);
    all.push(...events);
    if (events.length < 5000) return all;
    after = events.at(-1)?.seq ?? after;
  }
}

/**
 * Every conflict a run's undos met, as the journal tells it: each with its policy, where the
 * version found was kept, and (restored text files) the diff from the state put back to it. A
 * conflict met again by a later undo replaces the earlier telling of it. `afterSeq`: only those
 * met after that event (one undo's, for a game day's timeline).
 */
export async function conflictsOf(journal: EventJournal, runId: string, afterSeq = 0): Promise<Conflict[]> {
  const found = new Map<string, Conflict>();
  const id = (e: { data: Record<string, unknown> }, resource: unknown) =>
    `${String(e.data.target)}\u0000${String(e.data.step_index)}\u0000${String(resource)}`;
  for (const e of await allEvents(journal, runId, afterSeq)) {
    if (e.type === CONFLICT || e.type === "step.conflict_restored") {
      for (const c of (e.data.conflicts as Conflict[] | undefined) ?? []) {
        const before = found.get(id(e, c.resource));
        found.set(id(e, c.resource), { ...before, ...c });
      }
    } else if (e.type === KEPT_ASIDE) {
      const before = found.get(id(e, e.data.resource));
      if (before) found.set(id(e, e.data.resource), { ...before, kept_at: String(e.data.kept_at) });
    }
  }
  return [...found.values()];
}

/** Where a run's undos kept versions someone else wrote, with the action that kept each. */
export async function keptOf(
  journal: EventJournal,
  runId: string,
): Promise<{ target: string; stepIndex: number; resource: string; keptAt: string }[]> {
  const purged = new Set<string>();
  const kept: { target: string; stepIndex: number; resource: string; keptAt: string }[] = [];
  for (const e of await allEvents(journal, runId)) {
    if (e.type === KEPT_ASIDE)
      kept.push({
        target: String(e.data.target),
        stepIndex: Number(e.data.step_index),
        resource: String(e.data.resource),
        keptAt: String(e.data.kept_at),
      });
    else if (e.type === "run.kept_purged")
      for (const at of (e.data.locations as string[] | undefined) ?? []) purged.add(at);
  }
  const seen = new Set<string>();
  return kept.filter((k) => !purged.has(k.keptAt) && !seen.has(k.keptAt) && seen.add(k.keptAt));
}

/**
 * `runs purge-kept`: remove every version the run's undos kept aside (they survive `runs
 * commit`, as they are someone else's work, not the run's backups); journalled as
 * `run.kept_purged`. A second purge finds nothing left.
 */
export async function purgeKept(
  journal: EventJournal,
  runId: string,
  providerOf: (target: string, stepIndex: number) => AnyProvider | undefined,
  context: ActionContext,
): Promise<{ purged: string[] }> {
  const purged: string[] = [];
  for (const k of await keptOf(journal, runId)) {
    const reconciler = providerOf(k.target, k.stepIndex)?.reconcile;
    if (reconciler === undefined) continue;
    await reconciler.purgeKept(k.keptAt, context);
    purged.push(k.keptAt);
  }
  if (purged.length > 0) await journal.note(runId, "run.kept_purged", { locations: purged });
  return { purged };
}
