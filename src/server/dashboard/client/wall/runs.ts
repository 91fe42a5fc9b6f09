/**
 * The latest runs: operation, status in its colour, who started it, how long it took, and the step
 * that failed.
 */
import { getJson } from "../api.ts";
import type { RunPage } from "../api-types.ts";
import { clock, duration, runStatus, text } from "../format.ts";
import type { Panel } from "./panel.ts";

const ROWS = 9;

export const runsPanel: Panel = {
  name: "runs",
  title: "Recent runs",
  async load(ctx) {
    const page = await getJson<RunPage>(`/api/runs?sort=-created_at&limit=${ROWS}`, ctx.signal);
    return (root) => {
      if (page.items.length === 0) {
        root.innerHTML = '<p class="nothing">No runs yet.</p>';
        return;
      }
      const rows = page.items
        .map((r) => {
          const end = r.finished_at ? new Date(r.finished_at).getTime() : ctx.now.getTime();
          const failed = r.failure ? `${r.failure.step} on ${r.failure.target}` : "";
          return `<tr data-id="${text(r.id)}"><td>${text(r.operation_name)}</td><td>${runStatus(r)}</td><td>${text(r.started_by ?? "—")}</td><td>${duration(
            end - new Date(r.created_at).getTime(),
          )}</td><td class="failing">${text(failed)}</td><td>${clock(r.created_at)}</td></tr>`;
        })
        .join("");
      root.innerHTML = `<table class="list"><thead><tr><th>operation</th><th>status</th><th>by</th><th>took</th><th>failed at</th><th>started</th></tr></thead><tbody>${rows}</tbody></table>`;
    };
  },
};
