/**
 * Game days: the ones running now (elapsed time, GM, players), the planned ones coming up (when,
 * how far off, GM), and the latest ended ones. With nothing planned, the scenarios nobody has
 * played yet stand in for "coming up", so the wall still suggests what to run next.
 */
import { getJson } from "../api.ts";
import type { GamedayPlanPage, SessionPage } from "../api-types.ts";
import { duration, status, text, when } from "../format.ts";
import type { Panel } from "./panel.ts";
import { upcomingRows } from "./upcoming.ts";

interface ScenarioPage {
  readonly items: readonly { name: string; title?: string; created_at: string }[];
}

const LATEST = 5;
/** Plans shown; with any, the latest list is one shorter so the panel still fits. */
const UPCOMING = 3;
/** A plan stays "coming up" until 12 h past its time: it may still be played that day. */
const PLAY_WINDOW_MS = 12 * 3_600_000;

export const gamedaysPanel: Panel = {
  name: "gamedays",
  title: "Game days: live, coming up and latest",
  async load(ctx) {
    const from = new Date(ctx.now.getTime() - PLAY_WINDOW_MS).toISOString();
    const upcoming = new URLSearchParams({
      filter: `status = "planned" AND at >= "${from}"`,
      sort: "at",
      limit: String(UPCOMING),
    });
    const [sessions, scenarios, plans] = await Promise.all([
      getJson<SessionPage>("/api/sessions?sort=-started_at&limit=100", ctx.signal),
      getJson<ScenarioPage>("/api/scenarios?sort=-created_at&limit=100", ctx.signal),
      getJson<GamedayPlanPage>(`/api/gameday-plans?${upcoming}`, ctx.signal),
    ]);
    const titles = new Map(scenarios.items.map((s) => [s.name, s.title || s.name]));
    const live = sessions.items.filter((s) => s.status === "running" || s.status === "restoring");
    const ended = sessions.items.filter((s) => s.status === "ended" || s.status === "interrupted");
    const played = new Set(sessions.items.map((s) => s.scenario));
    const unplayed = scenarios.items.filter((s) => !played.has(s.name)).slice(0, 3);
    return (root) => {
      const liveRows = live
        .slice(0, 3)
        .map(
          (s) =>
            `<li class="live-session"><span class="title">${text(s.scenario_title)}</span> ${status(s.status)} <span class="elapsed">${duration(
              ctx.now.getTime() - new Date(s.fault_injected_at ?? s.started_at).getTime(),
            )}</span><span class="meta">GM ${text(s.gm)} · ${s.players.map((p) => text(p.name)).join(", ")}</span></li>`,
        )
        .join("");
      const plannedRows = upcomingRows(plans.items, titles, ctx.now);
      const endedRows = ended
        .slice(0, plannedRows ? LATEST - 1 : LATEST)
        .map(
          (s) =>
            `<tr><td>${text(s.scenario_title)}</td><td>${status(s.end_reason ?? s.status)}</td><td>${
              s.metrics?.resolve ? duration(s.metrics.resolve.ms) : "—"
            }</td><td>${when(s.started_at)}</td></tr>`,
        )
        .join("");
      root.innerHTML = `<h3>Live now</h3>${
        liveRows ? `<ul class="live-list">${liveRows}</ul>` : '<p class="nothing">No game day is running.</p>'
      }${
        plannedRows
          ? `<h3>Coming up</h3><ul class="live-list upcoming">${plannedRows}</ul>`
          : unplayed.length > 0
            ? `<h3>Not played yet</h3><p>${unplayed.map((s) => text(s.title || s.name)).join(" · ")}</p>`
            : ""
      }<h3>Latest</h3>${
        endedRows
          ? `<table class="list"><thead><tr><th>scenario</th><th>ended</th><th>resolved in</th><th>started</th></tr></thead><tbody>${endedRows}</tbody></table>`
          : '<p class="nothing">None ended yet.</p>'
      }`;
    };
  },
};
