import type { Survey } from "./model.ts";

/** Fewer respondents than this in a group (per dimension) and the group shows nothing. */
export const MIN_GROUP_SIZE = 3;

/** One anonymous response as the results read it. */
export interface ResponseRecord {
  readonly group: string;
  /** Item id → 1..6; items left out were not answered. */
  readonly answers: Readonly<Record<string, number>>;
}

export interface DimensionScore {
  readonly id: string;
  readonly title: string;
  /** Mean over respondents of each one's mean over the dimension's items, 1..6, 2 decimals; null when hidden. */
  readonly score: number | null;
  /** Respondents who answered at least one of its items; null when hidden. */
  readonly respondents: number | null;
  /** Why there is no score: too few respondents, or hidden so a smaller group cannot be worked out. */
  readonly hidden?: "fewer_than_3" | "complement";
}

export interface GroupResult {
  readonly group: string;
  readonly dimensions: readonly DimensionScore[];
}

export interface SurveyResults {
  readonly min_group_size: number;
  /** Everyone together; every dimension hidden below 3 respondents. */
  readonly overall: GroupResult;
  /** Per group (the invitation's group), only when there is more than one group. */
  readonly groups: readonly GroupResult[];
}

/**
 * Scores per dimension for everyone and per group, each hidden below `MIN_GROUP_SIZE`
 * respondents. Because the overall score is shown, one hidden group beside shown ones could be
 * worked out by subtraction; so while the hidden groups of a dimension hold 1 or 2 respondents
 * together, the smallest shown group is hidden too ("complement").
 */
export function surveyResults(survey: Survey, responses: readonly ResponseRecord[]): SurveyResults {
  const groupNames = [...new Set(responses.map((r) => r.group))].sort();
  const overall = { group: "everyone", dimensions: survey.dimensions.map((d) => score(d, responses)) };
  if (groupNames.length <= 1) return { min_group_size: MIN_GROUP_SIZE, overall, groups: [] };

  const perGroup = groupNames.map((g) => ({
    group: g,
    dimensions: survey.dimensions.map((d) =>
      score(
        d,
        responses.filter((r) => r.group === g),
      ),
    ),
  }));
  survey.dimensions.forEach((_, i) => {
    const counts = perGroup.map((g) => ({ g, n: rawCount(survey.dimensions[i], responses, g.group) }));
    let hiddenTotal = counts.filter((c) => c.g.dimensions[i]?.hidden).reduce((a, c) => a + c.n, 0);
    while (hiddenTotal > 0 && hiddenTotal < MIN_GROUP_SIZE) {
      const next = counts.filter((c) => !c.g.dimensions[i]?.hidden).sort((a, b) => a.n - b.n)[0];
      if (!next) break;
      const d = next.g.dimensions[i] as DimensionScore;
      (next.g.dimensions as DimensionScore[])[i] = {
        id: d.id,
        title: d.title,
        score: null,
        respondents: null,
        hidden: "complement",
      };
      hiddenTotal += next.n;
    }
  });
  return { min_group_size: MIN_GROUP_SIZE, overall, groups: perGroup };
}

function rawCount(
  dimension: Survey["dimensions"][number] | undefined,
  responses: readonly ResponseRecord[],
  group: string,
): number {
  if (!dimension) return 0;
  return responses.filter(
    (r) => r.group === group && dimension.items.some((i) => r.answers[i.id] !== undefined),
  ).length;
}

function score(
  dimension: Survey["dimensions"][number],
  responses: readonly ResponseRecord[],
): DimensionScore {
  const means: number[] = [];
  for (const r of responses) {
    const values = dimension.items.flatMap((i) =>
      r.answers[i.id] === undefined ? [] : [r.answers[i.id] as number],
    );
    if (values.length > 0) means.push(values.reduce((a, b) => a + b, 0) / values.length);
  }
  if (means.length < MIN_GROUP_SIZE) {
    return {
      id: dimension.id,
      title: dimension.title,
      score: null,
      respondents: null,
      hidden: "fewer_than_3",
    };
  }
  const mean = means.reduce((a, b) => a + b, 0) / means.length;
  return {
    id: dimension.id,
    title: dimension.title,
    score: Math.round(mean * 100) / 100,
    respondents: means.length,
  };
}
