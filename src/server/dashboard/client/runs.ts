/**
 * The latest 50 runs, newest first, refreshed every 10 s: id, operation, status in its colour,
 * how long it took, where it failed, targets, who started it, when. Filters (status, operation,
 * who) live in the hash (`#/runs?status=failed&operation=roll-config&by=Ana`), so a filtered list
 * is a link to share.
 */
import { getJson } from "./api.ts";
import type { RunPage } from "./api-types.ts";
import { element } from "./dom.ts";
import { duration, empty, idPath, runStatus, text, when } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import type { View } from "./view.ts";

/** The run statuses, as the API's enum has them: the status filter offers exactly these. */
const STATUSES: readonly RunPage["items"][number]["status"][] = [
  "queued",
  "running",
  "paused",
  "succeeded",
  "committed",
  "failed",
  "rolling_back",
  "rolled_back",
  "rollback_incomplete",
  "interrupted",
  "refused",
];

/** A row's tone: the left edge of a run that went wrong is red, one that needs a look amber. */
function rowTone(run: RunPage["items"][number]): string {
  if (["failed", "rollback_incomplete", "refused"].includes(run.status)) return "bad";
  if (run.status === "interrupted" || (run.status === "rolled_back" && run.failure)) return "warn";
  return "";
}

/** The API filter for the chosen status, operation and starter (AIP-160: terms joined by AND). */
export function runFilter(query: URLSearchParams): string {
  const terms: string[] = [];
  const status = query.get("status");
  if (status && (STATUSES as readonly string[]).includes(status)) terms.push(`status = "${status}"`);
  const operation = query.get("operation")?.trim();
  if (operation) terms.push(`operation_name = ${JSON.stringify(operation)}`);
  const by = query.get("by")?.trim();
  if (by) terms.push(`started_by = ${JSON.stringify(by)}`);
  return terms.join(" AND ");
}

/** Who started a run, as a link to their runs; a run from before it was recorded says so. */
function starter(run: RunPage["items"][number]): string {
  if (run.started_by === null) return '<span class="meta" title="not recorded">—</span>';
  return `<a href="#/runs?by=${text(encodeURIComponent(run.started_by))}">${text(run.started_by)}</a>`;
}

export const runsView: View = (root, params, ctx) => {
  const status = params.query.get("status") ?? "";
  const operation = params.query.get("operation") ?? "";
  const by = params.query.get("by") ?? "";
  root.innerHTML = `<h2>Runs</h2><form class="filters" id="run-filters"><label>status <select name="status"><option value="">any</option>${STATUSES.map(
    (s) => `<option${s === status ? " selected" : ""}>${s}</option>`,
  ).join("")}</select></label> <label>operation <input name="operation" value="${text(
    operation,
  )}" placeholder="any" size="18"></label> <label>by <input name="by" value="${text(
    by,
  )}" placeholder="anyone" size="12"></label> <button type="submit">filter</button></form><table class="list" id="runs"><thead><tr><th>run</th><th>operation</th><th>status</th><th>took</th><th>failed at</th><th>targets</th><th>by</th><th>started</th></tr></thead><tbody></tbody></table>`;
  const form = element<HTMLFormElement>(root, "form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const [key, value] of new FormData(form))
      if (typeof value === "string" && value.trim()) chosen.set(key, value.trim());
    const search = chosen.toString();
    location.hash = `#/runs${search ? `?${search}` : ""}`;
  });
  const body = element(root, "tbody");
  const filter = runFilter(params.query);
  const path = `/api/runs?sort=-created_at&limit=50${filter ? `&filter=${encodeURIComponent(filter)}` : ""}`;
  every(LIST_REFRESH_MS, ctx, async () => {
    const page = await getJson<RunPage>(path, ctx.signal);
    const now = Date.now();
    body.innerHTML =
      page.items
        .map((r) => {
          const end = r.finished_at ? Date.parse(r.finished_at) : now;
          const failed = r.failure ? `${r.failure.step} on ${r.failure.target} (${r.failure.phase})` : "";
          const tone = rowTone(r);
          return `<tr data-id="${text(r.id)}"${tone ? ` class="tone-${tone}"` : ""}><td class="id"><a href="#/runs/${text(
            idPath(r.id),
          )}" title="${text(r.id)}">${text(r.id.slice(-8))}</a></td><td><a href="#/runs/${text(idPath(r.id))}">${text(
            r.operation_name,
          )}</a></td><td>${runStatus(r)}</td><td>${r.finished_at ? "" : "running for "}${duration(
            end - Date.parse(r.created_at),
          )}</td><td class="failing">${text(failed)}</td><td>${text(r.targets.length)}</td><td class="by">${starter(
            r,
          )}</td><td>${when(r.created_at)}</td></tr>`;
        })
        .join("") || empty(8, filter ? "No runs match the filter." : "No runs yet.");
  });
};
