/**
 * Live deviations from process mining: the newest cases that left the model (the `model=` option,
 * else the newest stored model), across the latest mining jobs, newest first.
 */
import { getJson } from "../api.ts";
import type { ModelPage } from "../api-types.ts";
import { clock, idPath, text } from "../format.ts";
import type { Panel } from "./panel.ts";

interface MiningJobPage {
  readonly items: readonly { id: string; name: string }[];
}
interface DeviationPage {
  readonly items: readonly {
    seq: number;
    case_id: string;
    activity: string;
    kind: "unexpected" | "missing" | "wrong-order";
    expected: string[];
    detected_at: string;
  }[];
}

const JOBS = 5;
const ROWS = 8;
const TONE = { unexpected: "bad", missing: "warn", "wrong-order": "warn" } as const;

export const deviationsPanel: Panel = {
  name: "deviations",
  title: "Process mining: live deviations",
  async load(ctx) {
    const [models, jobs] = await Promise.all([
      getJson<ModelPage>("/api/mining/models?sort=-created_at&limit=1", ctx.signal),
      getJson<MiningJobPage>(`/api/mining/jobs?sort=-updated_at&limit=${JOBS}`, ctx.signal),
    ]);
    const model = ctx.options.model ?? models.items[0]?.id;
    const found = model
      ? await Promise.all(
          jobs.items.map(async (job) => {
            const page = await getJson<DeviationPage>(
              `/api/mining/jobs/${idPath(job.id)}/deviations?model=${idPath(model)}&sort=-line&limit=${ROWS}`,
              ctx.signal,
            );
            return page.items.map((d) => ({ ...d, job: job.name }));
          }),
        )
      : [];
    const deviations = found
      .flat()
      .sort((a, b) => b.detected_at.localeCompare(a.detected_at))
      .slice(0, ROWS);
    const modelName = models.items.find((m) => m.id === model)?.name ?? model;
    return (root) => {
      if (!model) {
        root.innerHTML = '<p class="nothing">No process model stored yet: opsdojo mine discover.</p>';
        return;
      }
      const rows = deviations
        .map(
          (d) =>
            `<tr><td><span class="status ${TONE[d.kind]}">${text(d.kind)}</span></td><td>${text(d.activity)}</td><td>${text(
              d.case_id,
            )}</td><td class="expected-next">${text(d.expected.join(", ") || "—")}</td><td>${clock(d.detected_at)}</td></tr>`,
        )
        .join("");
      root.innerHTML = `<p class="meta">against the model ${text(modelName)}</p>${
        rows
          ? `<table class="list"><thead><tr><th>deviation</th><th>activity</th><th>case</th><th>expected</th><th>seen</th></tr></thead><tbody>${rows}</tbody></table>`
          : '<p class="nothing">No deviations: every case follows the model.</p>'
      }`;
    };
  },
};
