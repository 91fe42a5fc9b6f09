/**
 * Stored process models (the list, refreshed every 10 s) and the drawing of the chosen one —
 * `#/models/ID`, or the newest — as inline SVG, with zoom and pan (zoom.ts).
 */
import { getJson, getText } from "./api.ts";
import type { ModelPage } from "./api-types.ts";
import { element } from "./dom.ts";
import { empty, idPath, text, when } from "./format.ts";
import { type Deviation, deviationCounts, markDeviations } from "./model-deviations.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import { safeSvg } from "./svg.ts";
import type { View } from "./view.ts";
import { zoomable } from "./zoom.ts";

export const modelsView: View = (root, params, ctx) => {
  root.innerHTML =
    '<h2>Process models</h2><table class="list" id="models"><thead><tr><th>name</th><th>algorithm</th><th>source</th><th>activities</th><th>created</th></tr></thead><tbody></tbody></table>' +
    '<section id="drawing"><h3 class="model-name"></h3><p class="zoom-controls"></p><div class="svg"></div><p class="deviation-key meta"></p></section>';
  const body = element(root, "tbody");
  const title = element(root, ".model-name");
  const frame = element(root, ".svg");
  const controls = element(root, ".zoom-controls");
  const key = element(root, ".deviation-key");
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
    if (!chosen) return;
    if (shown !== chosen.id) {
      const svg = await getText(`/api/mining/models/${idPath(chosen.id)}/svg`, "image/svg+xml", ctx.signal);
      title.textContent = chosen.name;
      const drawing = safeSvg(svg);
      frame.replaceChildren(drawing);
      zooming?.abort();
      zooming = new AbortController();
      ctx.signal.addEventListener("abort", () => zooming?.abort(), { once: true });
      if (drawing instanceof SVGSVGElement) zoomable(drawing, frame, controls, zooming.signal);
      shown = chosen.id;
    }
    // Deviations from this model in the latest mining jobs, drawn on it (refreshed with the list).
    const jobs = await getJson<{ items: { id: string }[] }>(
      "/api/mining/jobs?sort=-updated_at&limit=5",
      ctx.signal,
    );
    const pages = await Promise.all(
      jobs.items.map((job) =>
        getJson<{ items: Deviation[] }>(
          `/api/mining/jobs/${idPath(job.id)}/deviations?model=${idPath(chosen.id)}&limit=500`,
          ctx.signal,
        ),
      ),
    );
    const counts = deviationCounts(pages.flatMap((p) => p.items));
    const drawing = frame.querySelector("svg");
    const outside = drawing ? markDeviations(drawing, counts) : [];
    const total = [...counts.at.values()].reduce((a, b) => a + b, 0);
    const skipped = [...counts.skipped.values()].reduce((a, b) => a + b, 0);
    key.innerHTML =
      total + skipped === 0
        ? "No deviations from this model in the latest mining jobs."
        : `<span class="mark deviating">red</span>: where cases left the model (${total}) · <span class="mark skipped">amber</span>: steps cases skipped (${skipped})${
            outside.length ? ` · not in the model: ${text(outside.join(", "))}` : ""
          } — hover a box for its count`;
  });
};
