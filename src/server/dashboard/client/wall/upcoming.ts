/**
 * The planned game days the wall shows (docs/gamedays.md "Planned game days"): when, how far off
 * as people say it ("in 3 days"), the scenario, and the GM — the plan's, or the rotation's pick
 * marked "suggested" so nobody reads it as agreed.
 */
import type { GamedayPlanPage } from "../api-types.ts";
import { text, when } from "../format.ts";

type PlanItem = GamedayPlanPage["items"][number];

/** "in 3 days", "in 5 h", "in 20 min", "now", "2 h ago": rounded, for reading from across a room. */
export function fromNow(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const minutes = Math.round(abs / 60_000);
  if (minutes < 1) return "now";
  const hours = Math.round(abs / 3_600_000);
  const days = Math.round(abs / 86_400_000);
  const span =
    minutes < 60 ? `${minutes} min` : hours < 36 ? `${hours} h` : days === 1 ? "1 day" : `${days} days`;
  return ms > 0 ? `in ${span}` : `${span} ago`;
}

/** The GM as the wall says it: named, suggested by the rotation, or not known yet. */
export function gmOf(plan: PlanItem): string {
  if (plan.gm) return `GM ${text(plan.gm)}`;
  if (plan.gm_suggested?.name)
    return `GM ${text(plan.gm_suggested.name)} <span class="suggested">(suggested)</span>`;
  return "GM not chosen yet";
}

/** One row per plan: `<li>` with the time, how far off, the scenario's title and the GM (HTML). */
export function upcomingRows(
  plans: readonly PlanItem[],
  titles: ReadonlyMap<string, string>,
  now: Date,
): string {
  return plans
    .map(
      (p) =>
        `<li class="planned"><span class="title">${text(titles.get(p.scenario) ?? p.scenario)}</span> <span class="soon">${text(fromNow(p.at, now))}</span><span class="meta">${when(p.at)} · ${gmOf(p)}</span></li>`,
    )
    .join("");
}
