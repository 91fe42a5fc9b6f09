/**
 * Accuracy of a parse against labelled lines, as the log-parsing literature measures it:
 *
 * - GA (grouping accuracy): a line is right when the lines sharing its predicted template are
 *   exactly the lines sharing its true template;
 * - PA (parsing accuracy): the share of lines whose predicted template text equals the true one;
 * - FGA / FTA: F1 over groups (a predicted group is right when it is exactly a true group) and
 *   over templates (right group and right text).
 *
 * Template texts are compared after `normaliseTemplate` (whitespace and runs of `<*>`).
 */
export interface Accuracy {
  readonly lines: number;
  readonly ga: number;
  readonly pa: number;
  readonly fga: number;
  readonly fta: number;
  readonly predictedGroups: number;
  readonly trueGroups: number;
}

/** One line of a parse: which group it was put in and the text of that group's template. */
export interface LabelledLine {
  readonly group: string | number;
  readonly template: string;
}

/** `a  b <*><*>` → `a b <*>`: how two template texts are compared. */
export function normaliseTemplate(template: string): string {
  return template
    .trim()
    .replace(/\s+/g, " ")
    .replace(/(?:<\*>)+/g, "<*>");
}

export function accuracy(predicted: readonly LabelledLine[], truth: readonly LabelledLine[]): Accuracy {
  if (predicted.length !== truth.length) {
    throw new RangeError(`${predicted.length} predicted lines but ${truth.length} labelled lines`);
  }
  const n = predicted.length;
  const predictedGroups = groupLines(predicted);
  const trueGroups = groupLines(truth);
  let gaLines = 0;
  let paLines = 0;
  let rightGroups = 0;
  let rightTemplates = 0;
  for (let i = 0; i < n; i++) {
    const p = predicted[i];
    const t = truth[i];
    if (p && t && normaliseTemplate(p.template) === normaliseTemplate(t.template)) paLines++;
  }
  for (const lines of predictedGroups.values()) {
    const first = lines[0];
    if (first === undefined) continue;
    const trueKey = truth[first]?.group;
    const trueLines = trueKey === undefined ? undefined : trueGroups.get(trueKey);
    const exact =
      trueLines !== undefined &&
      trueLines.length === lines.length &&
      lines.every((i) => truth[i]?.group === trueKey);
    if (!exact) continue;
    gaLines += lines.length;
    rightGroups++;
    const p = predicted[first];
    const t = truth[first];
    if (p && t && normaliseTemplate(p.template) === normaliseTemplate(t.template)) rightTemplates++;
  }
  return {
    lines: n,
    ga: n === 0 ? 1 : gaLines / n,
    pa: n === 0 ? 1 : paLines / n,
    fga: f1(rightGroups, predictedGroups.size, trueGroups.size),
    fta: f1(rightTemplates, predictedGroups.size, trueGroups.size),
    predictedGroups: predictedGroups.size,
    trueGroups: trueGroups.size,
  };
}

function groupLines(lines: readonly LabelledLine[]): Map<string | number, number[]> {
  const groups = new Map<string | number, number[]>();
  lines.forEach((line, i) => {
    const list = groups.get(line.group);
    if (list) list.push(i);
    else groups.set(line.group, [i]);
  });
  return groups;
}

function f1(right: number, predicted: number, actual: number): number {
  if (right === 0) return 0;
  const precision = right / predicted;
  const recall = right / actual;
  return (2 * precision * recall) / (precision + recall);
}
