/**
 * Stored process models (the list, refreshed every 10 s) and the drawing of the chosen one —
 * `#/models/ID`, or the newest — as inline SVG, with zoom and pan (zoom.ts).
 */
import { getJson, getText } from "./api.ts";
import type { ModelPage } from "./api-types.ts";
import { element } from "./dom.ts";
import { empty, idPath, text, when } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import { safeSvg } from "./svg.ts";
import type { View } from "./view.ts";
import { zoomable } from "./zoom.ts";

export const modelsView: View = (root, params, ctx) => {
  root.innerHTML =
    '<h2>Process models</h2><table class="list" id="models"><thead><tr><th>name</th><th>algorithm</th><th>source</th><th>activities</th><th>created</th></tr></thead><tbody></tbody></table>' +
    '<section id="drawing"><h3 class="model-name"></h3><p class="zoom-controls"></p><div class="svg"></div></section>';
  const body = element(root, "tbody");
  const title = element(root, ".model-name");
  const frame = element(root, ".svg");
  const controls = element(root, ".zoom-controls");
  let zooming: AbortController | null = null;
  let shown: string | null = null;
  every(LIST_REFRESH_MS, ctx, async () => {
    const page = await getJson<ModelPage>("/api/mining/models?sort=-created_at&limit=50", ctx.signal);
    // A model not among the latest 50 is still drawn, named by its id.
    const chosen = params.id
      ? (page.items.find((m) => m.id === params.id) ?? { id: params.id, name: params.id })
      : page.items[0];
    body.innerHTML =
      page.items
        .map(
          (m) =>
            `<tr${chosen && m.id === chosen.id ? ' aria-current="true"' : ""}><td><a href="#/models/${text(idPath(m.id))}">${text(
              m.name,
            )}</a></td><td>${text(m.algorithm)}</td><td>${text(m.source)}</td><td>${text(m.activities.length)}</td><td>${when(
              m.created_at,
            )}</td></tr>`,
        )
        .join("") || empty(5, "No models stored.");
    if (!chosen || shown === chosen.id) return;
    const svg = await getText(`/api/mining/models/${idPath(chosen.id)}/svg`, "image/svg+xml", ctx.signal);
    title.textContent = chosen.name;
    const drawing = safeSvg(svg);
    frame.replaceChildren(drawing);
    zooming?.abort();
    zooming = new AbortController();
    ctx.signal.addEventListener("abort", () => zooming?.abort(), { once: true });
    if (drawing instanceof SVGSVGElement) zoomable(drawing, frame, controls, zooming.signal);
    shown = chosen.id;
  });
};
