import { parseDuration } from "../../operations/index.ts";
import type { Scenario } from "../scenario/index.ts";

/** Something the session does at an offset from its start. */
export interface ScheduledItem {
  /** Fault name, or the inject's/hint's name, else `inject-N` / `hint-N` (1-based). */
  readonly id: string;
  readonly type: "fault" | "inject" | "hint";
  /** Index in its list of the scenario. */
  readonly index: number;
  readonly atMs: number;
}

/** Every fault, inject and hint of a scenario, in the order they fall due (faults first at a tie). */
export function scheduleOf(scenario: Scenario): ScheduledItem[] {
  const ms = (d: string | undefined) => parseDuration(d ?? "0s") ?? 0;
  const items: ScheduledItem[] = [
    ...scenario.faults.map((f, index) => ({ id: f.name, type: "fault" as const, index, atMs: ms(f.at) })),
    ...(scenario.injects ?? []).map((x, index) => ({
      id: x.name ?? `inject-${index + 1}`,
      type: "inject" as const,
      index,
      atMs: ms(x.at),
    })),
    ...(scenario.hints ?? []).map((h, index) => ({
      id: h.name ?? `hint-${index + 1}`,
      type: "hint" as const,
      index,
      atMs: ms(h.at ?? h.after),
    })),
  ];
  const order = { fault: 0, inject: 1, hint: 2 } as const;
  return items.sort((a, b) => a.atMs - b.atMs || order[a.type] - order[b.type] || a.index - b.index);
}

/** The items due `elapsedMs` after the start that have not been done yet, in order. */
export function dueItems(
  schedule: readonly ScheduledItem[],
  elapsedMs: number,
  done: ReadonlySet<string>,
): ScheduledItem[] {
  return schedule.filter((item) => item.atMs <= elapsedMs && !done.has(key(item)));
}

/** Faults, injects and hints may share a name; the key does not. */
export function key(item: Pick<ScheduledItem, "type" | "id">): string {
  return `${item.type}:${item.id}`;
}

/** The inject or hint a GM names in `gameday release` (faults are never released early). */
export function releasable(schedule: readonly ScheduledItem[], id: string): ScheduledItem | undefined {
  return schedule.find((item) => item.type !== "fault" && item.id === id);
}

/**
 * Whether a stop condition has tripped: failing without a pass since `failingSince`, for at
 * least `failsForMs` (0: the first failure trips it).
 */
export function stopTripped(failingSince: number | undefined, now: number, failsForMs: number): boolean {
  return failingSince !== undefined && now - failingSince >= failsForMs;
}
