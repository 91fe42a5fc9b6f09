/** Open action items by age: how many in each age band, and the oldest ones by name and owner. */
import { getJson } from "../api.ts";
import { text } from "../format.ts";
import type { Panel } from "./panel.ts";

interface ActionItemPage {
  readonly items: readonly {
    id: string;
    title: string;
    owner: string;
    created_at: string;
    due_date?: string;
  }[];
  readonly next_cursor?: string;
}

const DAY = 86_400_000;
/** Age bands, youngest first: the upper bound in days and the tone an item that old gets. */
export const BANDS = [
  { label: "this week", days: 7, tone: "ok" },
  { label: "1–4 weeks", days: 28, tone: "idle" },
  { label: "1–3 months", days: 91, tone: "warn" },
  { label: "older", days: Number.POSITIVE_INFINITY, tone: "bad" },
] as const;
const OLDEST = 6;

export function ageInDays(createdAt: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(createdAt).getTime()) / DAY));
}

const bandOf = (days: number) => BANDS.findIndex((b) => days < b.days);

export const actionItemsPanel: Panel = {
  name: "action-items",
  title: "Open action items by age",
  async load(ctx) {
    const filter = encodeURIComponent('status = "open"');
    const page = await getJson<ActionItemPage>(
      `/api/action-items?filter=${filter}&sort=created_at&limit=500`,
      ctx.signal,
    );
    const items = page.items.map((i) => ({ ...i, days: ageInDays(i.created_at, ctx.now) }));
    const counts = BANDS.map((_, k) => items.filter((i) => bandOf(i.days) === k).length);
    return (root) => {
      if (items.length === 0) {
        root.innerHTML = '<p class="nothing">No open action items.</p>';
        return;
      }
      const figures = BANDS.map(
        (b, k) =>
          `<div class="figure"><span class="label">${b.label}</span><span class="value status ${b.tone}">${counts[k]}${
            k === BANDS.length - 1 && page.next_cursor ? "+" : ""
          }</span></div>`,
      ).join("");
      const oldest = items
        .slice(0, OLDEST)
        .map(
          (i) =>
            `<tr><td class="age"><span class="status ${BANDS[bandOf(i.days)]?.tone ?? "idle"}">${i.days} d</span></td><td>${text(
              i.title,
            )}</td><td>${text(i.owner)}</td></tr>`,
        )
        .join("");
      root.innerHTML = `<div class="figures">${figures}</div><h3>The oldest</h3><table class="list"><thead><tr><th>age</th><th>action item</th><th>owner</th></tr></thead><tbody>${oldest}</tbody></table>`;
    };
  },
};
