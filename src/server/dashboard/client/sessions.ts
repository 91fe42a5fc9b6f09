/** Game-day sessions, the latest first, refreshed every 10 s. */
import { getJson } from "./api.ts";
import type { SessionPage } from "./api-types.ts";
import { element } from "./dom.ts";
import { empty, idPath, status, text, when } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import type { View } from "./view.ts";

export const sessionsView: View = (root, _params, ctx) => {
  root.innerHTML =
    '<h2>Game-day sessions</h2><table class="list" id="sessions"><thead><tr><th>scenario</th><th>status</th><th>GM</th><th>players</th><th>started</th><th>entries</th></tr></thead><tbody></tbody></table>';
  const body = element(root, "tbody");
  every(LIST_REFRESH_MS, ctx, async () => {
    const page = await getJson<SessionPage>("/api/sessions?sort=-started_at&limit=50", ctx.signal);
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
