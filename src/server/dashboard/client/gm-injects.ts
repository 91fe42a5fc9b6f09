/**
 * The GM's injects for a running game day: what is still to come (with when it is due, counting
 * down) and what already went out. Read from `/api/sessions/{id}/injects`, which answers only a
 * token that may run sessions: to a read-only token (a wall, a player's link) the section says how
 * many there are and no more, since the words of a pending inject are the game's secret.
 */
import type { SessionInjects } from "./api-types.ts";
import { clock, duration, text } from "./format.ts";

type Item = SessionInjects["items"][number];

function what(i: Item): string {
  return `<span class="kind">${i.type}</span> <b>${text(i.id)}</b>${i.from ? ` <span class="by">from ${text(i.from)}:</span>` : ""} <span class="text">${text(i.text)}</span>`;
}

function due(i: Item, nowMs: number): string {
  const rest = Date.parse(i.due_at) - nowMs;
  const when = rest > 0 ? `in ${duration(rest)}` : "due now";
  return `<span class="due status ${rest > 0 ? "idle" : "warn"}" title="at ${text(i.at)} from the start">${when}</span>`;
}

/** The section's markup at `nowMs`: null items when the token may not read them. */
export function gmInjects(items: readonly Item[] | null, count: number | null, nowMs: number): string {
  if (items === null) {
    return count === null
      ? ""
      : `<p class="injects-hidden">${count} ${count === 1 ? "inject" : "injects"} in this scenario — a token with the execute scope shows them here.</p>`;
  }
  if (items.length === 0) return '<p class="injects-hidden">No injects or hints in this scenario.</p>';
  const pending = items.filter((i) => !i.released);
  const released = items.filter((i) => i.released);
  const upcoming = pending.length
    ? `<ol class="injects upcoming">${pending.map((i) => `<li data-id="${text(i.id)}">${due(i, nowMs)} ${what(i)}</li>`).join("")}</ol>`
    : "<p>Everything has been released.</p>";
  const out = released.length
    ? `<h4>Released</h4><ol class="injects released">${released
        .map(
          (i) =>
            `<li data-id="${text(i.id)}">${i.released_at ? clock(i.released_at) : ""}${
              i.early ? ' <span class="status busy">early</span>' : ""
            } ${what(i)}</li>`,
        )
        .join("")}</ol>`
    : "";
  return `<h4>Upcoming injects and hints <span class="count">(${pending.length} of ${items.length})</span></h4>${upcoming}${out}`;
}
