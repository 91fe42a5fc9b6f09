import type { Scenario } from "../scenario/index.ts";
import { scheduleOf } from "../session/index.ts";
import type { TimelineEntry } from "../timeline/index.ts";

/** One inject or hint of a session as its GM sees it: what it says, when it is due, whether it went out. */
export interface SessionInjectItem {
  readonly id: string;
  readonly type: "inject" | "hint";
  /** The offset from the start as the scenario writes it ("10m"); "0s" when it gives none. */
  readonly at: string;
  readonly at_ms: number;
  /** started_at + at: when the session releases it unless the GM does so earlier. */
  readonly due_at: string;
  readonly from?: string;
  readonly text: string;
  readonly released: boolean;
  readonly released_at: string | null;
  /** Released by the GM before its time (null while pending). */
  readonly early: boolean | null;
  readonly by: string | null;
}

/**
 * The injects and hints of a session's scenario in the order they fall due, each with whether the
 * session released it (its `inject.released` / `hint.released` entry on the timeline, matched by id).
 * Players must not read the pending ones: the route that serves this needs the GM's scope.
 */
export function sessionInjects(
  scenario: Scenario,
  startedAt: string,
  entries: readonly TimelineEntry[],
): SessionInjectItem[] {
  const released = new Map<string, TimelineEntry>();
  for (const e of entries) {
    if (e.kind !== "inject.released" && e.kind !== "hint.released") continue;
    const id = e.data.id;
    const type = e.kind === "inject.released" ? "inject" : "hint";
    if (typeof id === "string" && !released.has(`${type}:${id}`)) released.set(`${type}:${id}`, e);
  }
  const start = Date.parse(startedAt);
  return scheduleOf(scenario).flatMap((item): SessionInjectItem[] => {
    if (item.type === "fault") return [];
    const inject = item.type === "inject" ? scenario.injects?.[item.index] : undefined;
    const hint = item.type === "hint" ? scenario.hints?.[item.index] : undefined;
    const text = inject?.text ?? hint?.text;
    if (text === undefined) return [];
    const at = inject ? inject.at : (hint?.at ?? hint?.after);
    const from = inject?.from;
    const entry = released.get(`${item.type}:${item.id}`);
    return [
      {
        id: item.id,
        type: item.type,
        at: at ?? "0s",
        at_ms: item.atMs,
        due_at: new Date(start + item.atMs).toISOString(),
        ...(from === undefined ? {} : { from }),
        text,
        released: entry !== undefined,
        released_at: entry?.at ?? null,
        early: entry === undefined ? null : entry.data.early === true,
        by: entry?.by ?? null,
      },
    ];
  });
}
