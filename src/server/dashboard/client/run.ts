/**
 * One run — its targets, what a rollback could not restore, the diagnosis of a failed run (where
 * it failed, expected against observed, causes ranked with evidence and recovery), what it
 * changed, and its journalled events in words. Refreshed every 10 s while the run is still moving.
 */
import { getJson } from "./api.ts";
import type { Run, RunEventPage } from "./api-types.ts";
import { clock, empty, fields, idPath, runStatus, targetStatus, text, when } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import { type Change, readEvents } from "./run-events.ts";
import type { View } from "./view.ts";

type Diagnosis = NonNullable<Run["diagnosis"]>;

const MOVING: ReadonlySet<string> = new Set(["queued", "running", "rolling_back", "paused"]);

function targets(run: Run): string {
  const rows = run.targets
    .map(
      (t) =>
        `<tr><td>${text(t.name)}</td><td>${targetStatus(t)}</td><td>${
          t.failure ? `${text(t.failure.step)}: ${text(t.failure.reason)}` : ""
        }</td></tr>`,
    )
    .join("");
  return `<section><h3>Targets</h3><table class="list" id="targets"><thead><tr><th>target</th><th>status</th><th>failure</th></tr></thead><tbody>${
    rows || empty(3, "No targets.")
  }</tbody></table></section>`;
}

function unrestored(run: Run): string {
  if (run.unrestored.length === 0)
    return '<section id="unrestored"><h3>Not restored</h3><p>Nothing left unrestored.</p></section>';
  return `<section id="unrestored" class="alert"><h3>Not restored</h3><ul>${run.unrestored
    .map((u) => `<li><b>${text(u.target)} / ${text(u.step)}</b>: ${text(u.reason)}</li>`)
    .join("")}</ul></section>`;
}

function failure(f: Diagnosis["failure"]): string {
  if (!f) return "";
  let out = `<dl class="failure"><dt>where</dt><dd>step ${text(f.step)} on ${text(f.target)} (${text(f.phase)}${
    f.action ? `, ${text(f.action)}` : ""
  })</dd>`;
  if (f.check) {
    out += `<dt>check</dt><dd>${text(f.check.name)}</dd><dt>expected</dt><dd class="expected">${text(
      f.check.expected,
    )}</dd><dt>observed</dt><dd class="observed">${text(f.check.observed)}</dd>`;
  } else {
    out += `<dt>reason</dt><dd>${text(f.reason)}</dd>`;
  }
  return `${out}</dl>`;
}

function cause(c: Diagnosis["causes"][number]): string {
  const r = c.recovery;
  return `<li class="cause"><p class="title">${text(c.title)} <span class="score">${text(
    Math.round((c.score || 0) * 100),
  )}%</span></p>${
    c.evidence.length
      ? `<ul class="evidence">${c.evidence.map((e) => `<li>${text(e)}</li>`).join("")}</ul>`
      : ""
  }<p class="recovery"><b>recovery (${text(r.kind)})</b> ${text(r.action)}${
    r.command ? ` <code>${text(r.command)}</code>` : ""
  }</p></li>`;
}

function diagnosis(d: Run["diagnosis"]): string {
  if (!d) return "";
  const notes = d.deviation.notes.length
    ? `<ul class="notes">${d.deviation.notes.map((n) => `<li>${text(n)}</li>`).join("")}</ul>`
    : "";
  return `<section id="diagnosis" class="diagnosis"><h3>Diagnosis</h3><p class="summary">${text(d.summary)}</p>${failure(
    d.failure,
  )}<h4>Likely causes</h4><ol class="causes">${d.causes.map(cause).join("")}</ol>${notes}</section>`;
}

/** `run.deviation` events: where this run departs from its operation's completed runs (docs/operations.md). */
function deviations(page: RunEventPage): string {
  const rows = page.items
    .filter((e) => e.type === "run.deviation")
    .map((e) => {
      const d = e.data as Record<string, unknown>;
      return `<tr><td class="when">${clock(e.at)}</td><td><span class="status warn">${text(d.kind)}</span></td><td>${text(d.target)}</td><td>${text(d.step)}</td><td class="data">${text(d.detail)}</td></tr>`;
    })
    .join("");
  if (rows === "") return "";
  return `<section><h3>Deviations from earlier runs</h3><table class="list" id="deviations"><thead><tr><th>at</th><th>kind</th><th>target</th><th>step</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const CHANGE_TONES: Readonly<Record<Change["outcome"], string>> = {
  changed: "ok",
  undone: "idle",
  kept: "warn",
  "not undone": "bad",
  failed: "bad",
  unknown: "warn",
  "in flight": "busy",
};

/** What the run changed: each step that acted, per target, and where it ended. */
function changes(list: readonly Change[]): string {
  const rows = list
    .map(
      (c) =>
        `<tr><td>${text(c.target)}</td><td>${text(c.step)}</td><td>${text(c.action)}</td><td><span class="status ${
          CHANGE_TONES[c.outcome]
        }">${text(c.outcome)}</span></td><td class="data">${text(c.resources.join(", "))}</td></tr>`,
    )
    .join("");
  return `<section><h3>What the run changed</h3><table class="list" id="changes"><thead><tr><th>target</th><th>step</th><th>action</th><th>now</th><th>resources</th></tr></thead><tbody>${
    rows || empty(5, "Nothing: no step acted.")
  }</tbody></table></section>`;
}

/** The events as readable rows: a sentence each, the raw fields on hover. */
function events(rows: ReturnType<typeof readEvents>["rows"]): string {
  const body = rows
    .map(({ event: e, text: words }) => {
      const tone = /failed|undo_failed|irreversible/.test(e.type) ? ' class="ev-bad"' : "";
      return `<tr${tone}><td>${text(e.seq)}</td><td class="when">${clock(e.at)}</td><td class="type">${text(
        e.type,
      )}</td><td class="said" title="${text(fields(e.data))}">${text(words)}</td></tr>`;
    })
    .join("");
  return `<section><h3>Events</h3><table class="list" id="events"><thead><tr><th>#</th><th>at</th><th>event</th><th>what happened</th></tr></thead><tbody>${
    body || empty(4, "No events.")
  }</tbody></table></section>`;
}

export const runView: View = (root, params, ctx) => {
  const path = `/api/runs/${idPath(params.id)}`;
  every(LIST_REFRESH_MS, ctx, async () => {
    const [run, page] = await Promise.all([
      getJson<Run>(path, ctx.signal),
      getJson<RunEventPage>(`${path}/events?limit=500`, ctx.signal),
    ]);
    const read = readEvents(page.items);
    root.innerHTML = `<p class="back"><a href="#/runs">← runs</a></p><h2 class="headline">${text(run.operation_name)} ${runStatus(run)}</h2><p class="meta">run ${text(run.id)} · started by <span id="started-by">${
      run.started_by === null ? "(not recorded)" : text(run.started_by)
    }</span> · created ${when(run.created_at)}${
      run.finished_at ? ` · finished ${when(run.finished_at)}` : ""
    }</p>${diagnosis(run.diagnosis)}${deviations(page)}${changes(read.changes)}${targets(run)}${unrestored(run)}${events(read.rows)}`;
    return MOVING.has(run.status);
  });
};
