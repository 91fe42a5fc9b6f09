/**
 * An instance's last 24 h as a strip of coloured segments (pass green, warn amber, fail red,
 * unknown grey), drawn from its health transitions: each transition starts a segment, and the
 * status before the first one in the window is that transition's `previous_status` — so the
 * rows inside the window are all it takes. SVG geometry attributes, not inline styles: the
 * page's CSP allows no style attribute. Hovering a segment shows its status, from–to instants
 * and what the poll said.
 */
import { localDateTime, text, utcOffset } from "./format.ts";

type HealthEvent = import("./api-types.ts").HealthEventPage["items"][number];

export const STRIP_WINDOW_MS = 24 * 60 * 60_000;

export interface Segment {
  readonly status: string;
  readonly from: number;
  readonly to: number;
  /** What the poll that started the segment said, when it said something. */
  readonly detail?: string;
}

const TONE: Readonly<Record<string, string>> = { pass: "ok", warn: "warn", fail: "bad" };

/**
 * The segments of [start, end] for one instance. `events` are its transitions, any order;
 * `current` is its status now (from the entry), used when nothing changed within the window.
 */
export function segments(
  events: readonly HealthEvent[],
  current: string,
  start: number,
  end: number,
): Segment[] {
  const inside = events
    .map((e) => ({ ...e, t: Date.parse(e.at) }))
    .filter((e) => e.t >= start && e.t <= end)
    .sort((a, b) => a.t - b.t);
  const first = inside[0];
  const out: Segment[] = [];
  let status = first ? first.previous_status : current;
  let from = start;
  let detail: string | undefined;
  for (const e of inside) {
    if (e.t > from) out.push({ status, from, to: e.t, ...(detail ? { detail } : {}) });
    status = e.status;
    from = e.t;
    detail = e.detail;
  }
  if (end > from) out.push({ status, from, to: end, ...(detail ? { detail } : {}) });
  return out;
}

const at = (ms: number) => localDateTime(new Date(ms));

/** The strip as inline SVG (HTML text): one `<rect>` per segment with its hover title. */
export function stripSvg(parts: readonly Segment[], start: number, end: number): string {
  const span = end - start || 1;
  const rects = parts
    .map((s) => {
      const x = ((s.from - start) / span) * 1000;
      const w = Math.max(((s.to - s.from) / span) * 1000, 1);
      const title = `${s.status} from ${at(s.from)} to ${at(s.to)} ${utcOffset(new Date(s.to))}${
        s.detail ? ` — ${s.detail}` : ""
      }`;
      return `<rect class="seg ${TONE[s.status] ?? "idle"}" data-status="${text(s.status)}" x="${x.toFixed(
        2,
      )}" y="0" width="${w.toFixed(2)}" height="10"><title>${text(title)}</title></rect>`;
    })
    .join("");
  return `<svg class="strip" viewBox="0 0 1000 10" preserveAspectRatio="none" role="img" aria-label="health over the last 24 hours">${rects}</svg>`;
}
