import { durationText } from "./duration-text.ts";

/** What the arcs of a drawn model say: how often they were taken, how long they took, or both. */
export const ARC_LABELS = ["frequency", "duration", "both"] as const;
export type ArcLabels = (typeof ARC_LABELS)[number];

/** Both when the model has times (the log had timestamps), else frequency: the drawing as it was. */
export function resolveArcLabels(asked: ArcLabels | undefined, timed: boolean): ArcLabels {
  return asked ?? (timed ? "both" : "frequency");
}

/** What an arc label needs of a Duration; models stored before P90s were kept have none. */
export interface ArcTime {
  readonly count: number;
  readonly medianMs: number;
  readonly p90Ms?: number | undefined;
  readonly meanMs?: number | undefined;
}

/**
 * An arc's label and tooltip: "12", "4.2 s" or "12× · 4.2 s" (the median), the tooltip with the
 * P90, mean and the number of timed pairs. `count` undefined: the arc shows no frequency of its own.
 */
export function arcText(
  mode: ArcLabels,
  count: number | undefined,
  time: ArcTime | null | undefined,
): { label?: string; title?: string } {
  const median = time ? durationText(time.medianMs) : undefined;
  const title = time
    ? [
        `median ${median}`,
        ...(time.p90Ms === undefined ? [] : [`P90 ${durationText(time.p90Ms)}`]),
        ...(time.meanMs === undefined ? [] : [`mean ${durationText(time.meanMs)}`]),
      ].join(", ") + ` over ${time.count} timed ${time.count === 1 ? "pair" : "pairs"}`
    : undefined;
  const withTitle = (label: string | undefined) => ({
    ...(label === undefined ? {} : { label }),
    ...(title === undefined || mode === "frequency" ? {} : { title }),
  });
  if (mode === "frequency" || median === undefined)
    return withTitle(mode === "duration" || count === undefined ? undefined : String(count));
  if (mode === "duration" || count === undefined) return withTitle(median);
  return withTitle(`${count}× · ${median}`);
}
