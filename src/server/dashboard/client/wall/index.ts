/**
 * The wall (`#/wall`): one panel at a time, full screen, each for `every` seconds, for a screen
 * nobody touches. Options in the hash's query (options.ts). A panel that fails to load leaves the
 * last one on screen, marked with how old it is when the server cannot be reached.
 */
import { localClock, text } from "../format.ts";
import { sleep } from "../poll.ts";
import { isUnreachable, unreachableNotice } from "../unreachable.ts";
import type { View } from "../view.ts";
import { actionItemsPanel } from "./action-items.ts";
import { busFactorPanel } from "./bus-factor.ts";
import { competencePanel } from "./competence.ts";
import { deviationsPanel } from "./deviations.ts";
import { gamedaysPanel } from "./gamedays.ts";
import { type PanelName, type Theme, wallOptions } from "./options.ts";
import type { Panel } from "./panel.ts";
import { runsPanel } from "./runs.ts";
import { surveyPanel } from "./survey.ts";
import { trendsPanel } from "./trends.ts";

export { PANEL_NAMES, type PanelName, wallOptions } from "./options.ts";

const PANELS: Readonly<Record<PanelName, Panel>> = {
  trends: trendsPanel,
  competence: competencePanel,
  "bus-factor": busFactorPanel,
  survey: surveyPanel,
  "action-items": actionItemsPanel,
  gamedays: gamedaysPanel,
  runs: runsPanel,
  deviations: deviationsPanel,
};

/** Sets `data-theme` on the body: the one asked for, or the system's, followed while shown. */
function applyTheme(theme: Theme, signal: AbortSignal): void {
  const body = document.body;
  if (theme !== "auto") {
    body.dataset.theme = theme;
    return;
  }
  const light = matchMedia("(prefers-color-scheme: light)");
  const follow = () => {
    body.dataset.theme = light.matches ? "light" : "dark";
  };
  follow();
  light.addEventListener("change", follow, { signal });
}

export const wallView: View = (root, params, ctx) => {
  const options = wallOptions(params.query);
  const body = document.body;
  body.classList.add("wall");
  applyTheme(options.theme, ctx.signal);
  ctx.signal.addEventListener("abort", () => {
    body.classList.remove("wall");
    delete body.dataset.theme;
  });
  const panels = options.panels.map((name) => PANELS[name]);
  root.innerHTML = `<div class="wall-screen" id="wall"><div class="wall-top"><h2 class="wall-title"></h2><span class="wall-state" role="status"></span></div>${
    options.problems.length > 0
      ? `<p class="wall-problems">${options.problems.map(text).join("<br>")}</p>`
      : ""
  }<section class="wall-panel"></section><ol class="wall-dots">${panels
    .map((p) => `<li data-panel="${p.name}">${text(p.name)}</li>`)
    .join("")}</ol></div>`;
  const title = root.querySelector<HTMLElement>(".wall-title");
  const state = root.querySelector<HTMLElement>(".wall-state");
  const stage = root.querySelector<HTMLElement>(".wall-panel");
  if (!title || !state || !stage) return;
  let lastRead: Date | null = null;

  const showNext = async (panel: Panel) => {
    try {
      const draw = await panel.load({ signal: ctx.signal, now: new Date(), options });
      if (ctx.signal.aborted) return;
      stage.replaceChildren();
      stage.dataset.panel = panel.name;
      stage.classList.remove("stale");
      title.textContent = panel.title;
      for (const dot of root.querySelectorAll<HTMLElement>(".wall-dots li"))
        dot.toggleAttribute("aria-current", dot.dataset.panel === panel.name);
      draw(stage);
      lastRead = new Date();
      state.textContent = `data from ${localClock(lastRead).slice(0, 5)}`;
      state.classList.remove("stale");
      // Tests and people alike can tell a panel has finished drawing.
      stage.dataset.drawn = String(Number(stage.dataset.drawn ?? "0") + 1);
    } catch (error) {
      if (ctx.signal.aborted) return;
      state.classList.add("stale");
      stage.classList.add("stale");
      state.textContent = isUnreachable(error)
        ? unreachableNotice(lastRead)
        : `${panel.title}: ${(error instanceof Error && error.message) || String(error)}`;
    }
  };

  void (async () => {
    for (let k = 0; !ctx.signal.aborted; k = (k + 1) % panels.length) {
      const panel = panels[k];
      if (panel) await showNext(panel);
      await sleep(options.every * 1000, ctx.signal);
    }
  })();
};
