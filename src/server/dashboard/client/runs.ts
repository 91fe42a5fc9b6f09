/** The latest 50 runs, newest first, refreshed every 10 s. */
import { getJson } from "./api.ts";
import type { RunPage } from "./api-types.ts";
import { element } from "./dom.ts";
import { empty, idPath, runStatus, text, when } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import type { View } from "./view.ts";

export const runsView: View = (root, _params, ctx) => {
  root.innerHTML =
    '<h2>Runs</h2><table class="list" id="runs"><thead><tr><th>operation</th><th>status</th><th>targets</th><th>created</th></tr></thead><tbody></tbody></table>';
  const body = element(root, "tbody");
  every(LIST_REFRESH_MS, ctx, async () => {
    const page = await getJson<RunPage>("/api/runs?sort=-created_at&limit=50", ctx.signal);
    body.innerHTML =
      page.items
        .map(
          (r) =>
            `<tr data-id="${text(r.id)}"><td><a href="#/runs/${text(idPath(r.id))}">${text(r.operation_name)}</a></td><td>${runStatus(r)}</td><td>${text(r.targets.length)}</td><td>${when(r.created_at)}</td></tr>`,
        )
        .join("") || empty(4, "No runs yet.");
  });
};
