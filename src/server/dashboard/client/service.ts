/**
 * One service (`#/services/ID`): owner and lifecycle, its instances with the failing ones on top
 * (status, when checked, what the poll said, a strip of its last 24 h), its latest health
 * transitions, the latest conformance result (overall and per instance, the MUST rules that
 * failed), its versions, and the recent runs on it. Refreshed every 10 s.
 */
import { getJson } from "./api.ts";
import type { HealthEventPage, RunPage } from "./api-types.ts";
import { empty, idPath, runStatus, status, text, when } from "./format.ts";
import { STRIP_WINDOW_MS, segments, stripSvg } from "./health-strip.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import type { View } from "./view.ts";

type ServiceEntry = import("./api-types.ts").ServicePage["items"][number];
type Instance = ServiceEntry["instances"][number];

/** Worst first: a failing instance is what someone looking at this page came for. */
const BADNESS: Readonly<Record<string, number>> = { fail: 0, warn: 1, unknown: 2, pass: 3 };

export function worstFirst(instances: readonly Instance[]): Instance[] {
  return [...instances].sort(
    (a, b) => (BADNESS[a.status] ?? 2) - (BADNESS[b.status] ?? 2) || a.base_url.localeCompare(b.base_url),
  );
}

/** The names a run's target could give this service by: its name and its instances' hosts. */
function namesOf(service: ServiceEntry): Set<string> {
  const names = new Set([service.name]);
  for (const i of service.instances) {
    try {
      names.add(new URL(i.base_url).hostname);
    } catch {
      // not a URL: nothing to match
    }
  }
  return names;
}

function instances(service: ServiceEntry, history: HealthEventPage, now: number): string {
  const start = now - STRIP_WINDOW_MS;
  const rows = worstFirst(service.instances)
    .map((i) => {
      const own = history.items.filter((e) => e.base_url === i.base_url);
      return `<tr class="instance ${text(i.status)}"><td>${status(i.status)}</td><td>${text(i.base_url)}</td><td>${when(
        i.checked_at,
      )}</td><td>${text(i.detail ?? "")}</td><td class="strip-cell">${stripSvg(
        segments(own, i.status, start, now),
        start,
        now,
      )}<span class="strip-axis"><span>24 h ago</span><span>now</span></span></td></tr>`;
    })
    .join("");
  return `<section><h3>Instances</h3><table class="list" id="instances"><thead><tr><th>health</th><th>instance</th><th>checked</th><th>detail</th><th>last 24 h</th></tr></thead><tbody>${
    rows || empty(5, "No instances registered.")
  }</tbody></table></section>`;
}

/** The latest transitions of every instance, newest first, as sentences rather than codes. */
function transitions(history: HealthEventPage): string {
  const rows = history.items
    .slice(0, 10)
    .map(
      (e) =>
        `<tr class="transition"><td>${when(e.at)}</td><td>${text(e.base_url)}</td><td>${status(
          e.previous_status,
        )} → ${status(e.status)}</td><td>${text(e.detail ?? "")}</td></tr>`,
    )
    .join("");
  return `<section><h3>Health changes</h3><table class="list" id="health-history"><thead><tr><th>when</th><th>instance</th><th>change</th><th>what the poll said</th></tr></thead><tbody>${
    rows || empty(4, "No health change in the last 24 hours.")
  }</tbody></table></section>`;
}

function conformance(service: ServiceEntry): string {
  const c = service.conformance;
  if (!c)
    return '<section id="conformance"><h3>Conformance</h3><p class="meta">Not checked yet: opsdojo conform.</p></section>';
  const failures = (list: readonly unknown[]) =>
    list.length
      ? `<ul>${list.map((f) => `<li class="observed">${text(typeof f === "string" ? f : JSON.stringify(f))}</li>`).join("")}</ul>`
      : "";
  const per = c.instances
    .map(
      (i) =>
        `<tr><td>${text(i.base_url)}</td><td>${text(i.pass)}</td><td>${text(i.fail)}</td><td>${text(i.skip)}</td></tr>`,
    )
    .join("");
  return `<section id="conformance"><h3>Conformance</h3><p>${status(c.fail > 0 ? "fail" : "pass")} ${text(
    c.pass,
  )} passed · ${text(c.fail)} failed · ${text(c.skip)} skipped · checked ${when(c.checked_at)}</p>${failures(
    c.must_failures,
  )}${
    per
      ? `<table class="list"><thead><tr><th>instance</th><th>passed</th><th>failed</th><th>skipped</th></tr></thead><tbody>${per}</tbody></table>`
      : ""
  }</section>`;
}

function runs(page: RunPage, names: Set<string>): string {
  const mine = page.items.filter((r) => r.targets.some((t) => names.has(t.name))).slice(0, 10);
  const rows = mine
    .map(
      (r) =>
        `<tr><td><a href="#/runs/${text(idPath(r.id))}">${text(r.operation_name)}</a></td><td>${runStatus(r)}</td><td>${
          r.failure ? text(`${r.failure.step} on ${r.failure.target}`) : ""
        }</td><td class="by">${text(r.started_by ?? "—")}</td><td>${when(r.created_at)}</td></tr>`,
    )
    .join("");
  // "by": who operated it — the people the Brent report counts among the service's (learning.md).
  return `<section><h3>Runs on it</h3><table class="list" id="service-runs"><thead><tr><th>operation</th><th>status</th><th>failed at</th><th>by</th><th>started</th></tr></thead><tbody>${
    rows || empty(5, "No recent run has a target named after this service or its hosts.")
  }</tbody></table></section>`;
}

export const serviceView: View = (root, params, ctx) => {
  every(LIST_REFRESH_MS, ctx, async () => {
    const now = Date.now();
    const since = new Date(now - STRIP_WINDOW_MS).toISOString();
    const [service, recent, history] = await Promise.all([
      getJson<ServiceEntry>(`/api/services/${idPath(params.id)}`, ctx.signal),
      getJson<RunPage>("/api/runs?sort=-created_at&limit=200", ctx.signal),
      // One page of 500 covers a day of an instance changing every three minutes; a strip of
      // more would be a red-green blur anyway, so a busier day shows its newest 500.
      getJson<HealthEventPage>(
        `/api/services/${idPath(params.id)}/health-history?since=${encodeURIComponent(since)}&limit=500`,
        ctx.signal,
      ),
    ]);
    root.innerHTML = `<p class="back"><a href="#/">← services</a></p><h2 class="headline" id="service">${text(
      service.name,
    )} ${status(service.lifecycle)}</h2><dl class="facts"><dt>owner</dt><dd>${text(service.owner)}</dd>${
      service.description ? `<dt>what</dt><dd>${text(service.description)}</dd>` : ""
    }<dt>versions</dt><dd>${service.versions.map((v) => `${text(v.version)} ${text(v.status)}`).join(", ") || "—"}</dd></dl>${instances(
      service,
      history,
      now,
    )}${transitions(history)}${conformance(service)}${runs(recent, namesOf(service))}`;
  });
};
