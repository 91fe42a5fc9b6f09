/**
 * One game-day session — status, scenario, GM, players, faults with their injection instants,
 * metrics and clean restore (refreshed every 10 s) — and its timeline, live over SSE: entries are
 * appended as they are written. While it runs, the GM's clock and, for a token that may run
 * sessions, the injects and hints still to come and those released (gm-injects.ts).
 */
import { getJson, getJsonIfAllowed } from "./api.ts";
import type { Session, SessionInjects, TimelineEntry } from "./api-types.ts";
import { element } from "./dom.ts";
import { clock, duration, idPath, status, text, when } from "./format.ts";
import { gmClock, type ScenarioFacts } from "./gm-clock.ts";
import { gmInjects } from "./gm-injects.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import { follow } from "./sse.ts";
import type { View } from "./view.ts";

type Metrics = NonNullable<Session["metrics"]>;

const METRICS: readonly (readonly [keyof Metrics, string])[] = [
  ["detect", "detect"],
  ["acknowledge", "acknowledge"],
  ["first_correct_hypothesis", "first correct hypothesis"],
  ["mitigate", "mitigate"],
  ["resolve", "resolve"],
];

function restore(value: boolean | null): string {
  return value === true ? status("restored") : value === false ? status("failed") : status("pending");
}

function metric(m: Metrics, key: keyof Metrics): string {
  const value = m[key];
  return value && typeof value === "object" ? duration(value.ms) : "—";
}

function details(s: Session): string {
  const faults = s.faults
    .map(
      (f) =>
        `<tr><td>${text(f.name)}</td><td>${status(f.status)}</td><td>${when(f.injected_at)}</td><td>${
          f.restore_status ? status(f.restore_status) : "—"
        }</td></tr>`,
    )
    .join("");
  const m = s.metrics;
  const metrics = m
    ? `<dl class="metrics">${METRICS.map(([key, label]) => `<dt>${text(label)}</dt><dd>${metric(m, key)}</dd>`).join("")}</dl>`
    : "<p>No fault injected yet.</p>";
  return `<p class="back"><a href="#/sessions">← sessions</a></p><h2 class="headline">${text(s.scenario_title)} ${status(
    s.status,
  )}</h2><dl class="facts"><dt>scenario</dt><dd>${text(s.scenario)}</dd><dt>GM</dt><dd>${text(s.gm)}</dd><dt>players</dt><dd>${
    s.players.map((p) => `${text(p.name)} (${text(p.role)})`).join(", ") || "—"
  }</dd><dt>started</dt><dd>${when(s.started_at)}</dd><dt>ended</dt><dd>${when(s.ended_at)}${
    s.end_reason ? ` (${text(s.end_reason)})` : ""
  }</dd><dt>clean restore</dt><dd>${restore(s.clean_restore)}</dd></dl><h3>Faults</h3><table class="list" id="faults"><thead><tr><th>fault</th><th>status</th><th>injected at</th><th>restore</th></tr></thead><tbody>${
    faults || '<tr><td colspan="4" class="empty">No faults.</td></tr>'
  }</tbody></table><h3>Metrics</h3>${metrics}`;
}

function entry(e: TimelineEntry): HTMLLIElement {
  const item = document.createElement("li");
  item.className = `entry ${e.source === "human" ? "human" : "auto"}`;
  item.dataset.seq = String(e.seq);
  const verdict =
    e.correct === true
      ? ' <span class="status ok">correct</span>'
      : e.correct === false
        ? ' <span class="status bad">wrong</span>'
        : "";
  item.innerHTML = `<time datetime="${text(e.at)}">${clock(e.at)}</time> <span class="kind">${text(e.kind)}</span>${
    e.by ? ` <span class="by">${text(e.by)}</span>` : ""
  } <span class="text">${text(e.text)}</span>${verdict}`;
  return item;
}

export const sessionView: View = (root, params, ctx) => {
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const path = `/api/sessions/${idPath(params.id)}`;
  root.innerHTML =
    '<div id="session"></div><section id="gm" class="gm" hidden></section><h3>Timeline <span class="live" title="live">live</span></h3><ol id="timeline" class="timeline"></ol>';
  const head = element(root, "#session");
  const gm = element(root, "#gm");
  const list = element(root, "#timeline");
  let last = 0;
  // The GM's clock ticks every second while the session runs; the facts refresh every 10 s.
  let running: { startedAt: string; scenario: (ScenarioFacts & { injects?: number }) | null } | null = null;
  let scenarioRead = false;
  // The injects to come: null once the token turned out not to be the GM's (403; not asked again).
  let injects: SessionInjects["items"] | null = null;
  let injectsAllowed = true;
  const tick = () => {
    gm.hidden = running === null;
    if (running) {
      const now = Date.now();
      gm.innerHTML = `${gmClock(running.startedAt, running.scenario, now)}<div id="injects">${gmInjects(
        injects,
        running.scenario?.injects ?? null,
        now,
      )}</div>`;
    }
  };
  const ticker = setInterval(tick, 1000);
  ctx.signal.addEventListener("abort", () => clearInterval(ticker));
  every(LIST_REFRESH_MS, ctx, async () => {
    const session = await getJson<Session>(path, ctx.signal);
    head.innerHTML = details(session);
    if (session.status !== "running") running = null;
    else {
      let scenario = running?.scenario ?? null;
      if (!scenarioRead) {
        scenarioRead = true;
        // A session started from a file never registered has no scenario here: the clock alone.
        scenario = await getJson<ScenarioFacts & { injects?: number }>(
          `/api/scenarios/${idPath(session.scenario)}`,
          ctx.signal,
        ).catch(() => null);
      }
      running = { startedAt: session.started_at, scenario };
      if (injectsAllowed) {
        // A failure here leaves the rest of the page as it is: the clock and the timeline matter more.
        const gmView = await getJsonIfAllowed<SessionInjects>(`${path}/injects`, ctx.signal).catch(
          () => undefined,
        );
        if (gmView !== undefined) {
          injectsAllowed = gmView !== null;
          injects = gmView?.items ?? null;
        }
      }
    }
    tick();
  });
  follow(`${path}/timeline`, ctx, (message) => {
    const e = JSON.parse(message.data) as TimelineEntry;
    if (typeof e.seq !== "number" || e.seq <= last) return;
    last = e.seq;
    const item = entry(e);
    const atEnd = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    list.append(item);
    if (atEnd) item.scrollIntoView({ block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth" });
  }).then(() => root.querySelector(".live")?.replaceWith(document.createTextNode("(ended)")));
};
