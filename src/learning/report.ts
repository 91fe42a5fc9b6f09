import type { Clock } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { computeEvidence } from "./evidence/indicators.ts";
import { loadEvidenceInput } from "./evidence/load.ts";
import type { Evidence } from "./evidence/model.ts";
import type { RoundRecord, Surveys } from "./survey/surveys.ts";

export interface DimensionFinding {
  readonly dimension: string;
  readonly title: string;
  /** How the team sees itself, 1–6; null when hidden (fewer than 3 respondents). */
  readonly survey: number | null;
  readonly respondents: number | null;
  /** What opsdojo's own data shows, 1–6; null without data. */
  readonly evidence: number | null;
  /** survey − evidence: above 0 the team sees itself better than its record shows. */
  readonly gap: number | null;
}

export interface RoundReport {
  readonly round: RoundRecord;
  readonly survey: {
    readonly id: string;
    readonly name: string;
    readonly version: number;
    readonly title: string;
  };
  readonly min_group_size: number;
  readonly dimensions: readonly DimensionFinding[];
  readonly groups: ReadonlyArray<{
    readonly group: string;
    readonly dimensions: ReadonlyArray<{
      id: string;
      score: number | null;
      respondents: number | null;
      hidden?: string;
    }>;
  }>;
  readonly evidence: Evidence;
}

/**
 * A round's results beside the evidence of the 90 days before it closed (or before now, while
 * open): the finding is the gap. `survey results` and `GET /api/survey-rounds/{id}/results`.
 */
export async function roundReport(
  store: Store,
  clock: Clock,
  surveys: Surveys,
  ref: string,
): Promise<RoundReport> {
  const { round, survey, results } = await surveys.results(ref);
  const until = round.closed_on ? new Date(`${round.closed_on}T23:59:59.999Z`) : clock.now();
  const evidence = computeEvidence(await loadEvidenceInput(store, until));
  const byDim = new Map(evidence.dimensions.map((d) => [d.dimension as string, d.score]));
  return {
    round,
    survey: { id: survey.id, name: survey.name, version: survey.version, title: survey.title },
    min_group_size: results.min_group_size,
    dimensions: results.overall.dimensions.map((d) => {
      const ev = byDim.get(d.id) ?? null;
      return {
        dimension: d.id,
        title: d.title,
        survey: d.score,
        respondents: d.respondents,
        evidence: ev,
        gap: d.score !== null && ev !== null ? Math.round((d.score - ev) * 100) / 100 : null,
      };
    }),
    groups: results.groups.map((g) => ({
      group: g.group,
      dimensions: g.dimensions.map((d) => ({
        id: d.id,
        score: d.score,
        respondents: d.respondents,
        ...(d.hidden ? { hidden: d.hidden } : {}),
      })),
    })),
    evidence,
  };
}
