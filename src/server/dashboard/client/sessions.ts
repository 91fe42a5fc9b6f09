/** Game-day sessions, the latest first, with the planned ones above them; refreshed every 10 s. */
import { getJson } from "./api.ts";
import type { GamedayPlanPage, SessionPage } from "./api-types.ts";
import { element } from "./dom.ts";
import { empty, idPath, status, text, when } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import type { View } from "./view.ts";
import { fromNow, gmOf } from "./wall/upcoming.ts";

/** A plan stays listed until 12 h past its time: it may still be played that day. */
const PLAY_WINDOW_MS = 12 * 3_600_000;

export const sessionsView: View = (root, _params, ctx) => {
  root.innerHTML =
    '<h2>Game-day sessions</h2><h3>Planned</h3><table class="list" id="plans"><thead><tr><th>when</th><th></th><th>scenario</th><th>GM</th><th>players</th><th>note</th></tr></thead><tbody></tbody></table><h3>Played</h3><table class="list" id="sessions"><thead><tr><th>scenario</th><th>status</th><th>GM</th><th>players</th><th>started</th><th>entries</th></tr></thead><tbody></tbody></table>';
  const plansBody = element(root, "#plans tbody");
  const body = element(root, "#sessions tbody");
  every(LIST_REFRESH_MS, ctx, async () => {
    const now = new Date();
    const upcoming = new URLSearchParams({
      filter: `status = "planned" AND at >= "${new Date(now.getTime() - PLAY_WINDOW_MS).toISOString()}"`,
      sort: "at",
      limit: "20",
    });
    const [page, plans] = await Promise.all([
      getJson<SessionPage>("/api/sessions?sort=-started_at&limit=50", ctx.signal),
      getJson<GamedayPlanPage>(`/api/gameday-plans?${upcoming}`, ctx.signal),
    ]);
    plansBody.innerHTML =
      plans.items
        .map(
          (p) =>
            `<tr data-id="${text(p.id)}"><td>${when(p.at)}</td><td class="soon">${text(fromNow(p.at, now))}</td><td>${text(
              p.scenario,
            )}</td><td>${gmOf(p)}</td><td>${p.players.map((x) => text(`${x.name} (${x.role})`)).join(", ")}</td><td>${text(
              p.note ?? "",
            )}</td></tr>`,
        )
        .join("") ||
      empty(6, 'Nothing planned: opsdojo gameday plan SCENARIO --at "YYYY-MM-DD HH:MM" plans one.');
    body.innerHTML =
      page.items
        .map(
          (s) =>
            `<tr data-id="${text(s.id)}"><td><a href="#/sessions/${text(idPath(s.id))}">${text(s.scenario_title)}</a></td><td>${status(
              s.status,
            )}</td><td>${text(s.gm)}</td><td>${s.players.map((p) => text(p.name)).join(", ")}</td><td>${when(
              s.started_at,
            )}</td><td>${text(s.timeline_entries)}</td></tr>`,
        )
        .join("") || empty(6, "No sessions yet.");
  });
};
