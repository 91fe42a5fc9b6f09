import type { JournalEvent } from "../../operations/index.ts";
import type { Style } from "../output.ts";
import type { StepView } from "../runs/index.ts";

/**
 * What `runs show` says of reconcile, from the run's events (the same on either backend): which
 * conflict policy each step's undo applies unless `runs undo --on-conflict` says otherwise, and
 * each conflict an undo met, with its three states and where the version found was kept.
 */
export function conflictLines(
  events: readonly JournalEvent[],
  steps: readonly StepView[],
  s: Style,
): string[] {
  const nameOf = (target: string, index: number) =>
    steps.find((x) => x.target === target && x.stepIndex === index)?.stepName ?? String(index);
  const policies = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const e of events) {
    if (e.type !== "step.observed" || e.data.phase !== "pre" || typeof e.data.on_conflict !== "string")
      continue;
    const key = `${String(e.data.target)}\u0000${String(e.data.step_index)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const named = policies.get(e.data.on_conflict) ?? [];
    const name = nameOf(String(e.data.target), Number(e.data.step_index));
    if (!named.includes(name)) named.push(name);
    policies.set(e.data.on_conflict, named);
  }
  const lines: string[] = [];
  if (policies.size > 0) {
    const each = [...policies].map(([policy, names]) =>
      policies.size === 1 ? policy : `${policy} (${names.join(", ")})`,
    );
    lines.push(
      `on conflict, undo will: ${each.join("; ")} (runs undo --on-conflict refuse|restore|keep overrides)`,
    );
  }
  const kept = new Map<string, string>();
  for (const e of events)
    if (e.type === "step.kept_aside")
      kept.set(`${String(e.data.step)}\u0000${String(e.data.resource)}`, String(e.data.kept_at));
  for (const e of events) {
    if (e.type !== "step.conflict") continue;
    for (const c of (e.data.conflicts as Record<string, string>[] | undefined) ?? []) {
      const at = kept.get(`${c.step}\u0000${c.resource}`);
      lines.push(
        `${s.yellow("conflict")} ${c.target}/${c.step} ${c.resource} (${c.policy}): before ${c.pre}; after ${c.post}; found ${c.now}${at ? `; kept at ${at}` : ""}`,
      );
    }
  }
  return lines;
}
