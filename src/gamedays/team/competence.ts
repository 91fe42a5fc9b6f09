import { type DrillRecord, median, ms } from "./history.ts";

/**
 * The four stages of competence, lowest first. How drill history maps to them is
 * `stageFor` below and docs/gamedays.md ("Competence"):
 *
 * 1. unconsciously_incompetent — no drill played in the area, or played without stating a single
 *    hypothesis: the person has not yet met the problem space.
 * 2. consciously_incompetent — has stated hypotheses in the area, but none correct without help
 *    (none correct at all, or each correct one came after a hint was released).
 * 3. consciously_competent — at least one correct hypothesis in the area before any hint.
 * 4. unconsciously_competent — the person's two most recent drills in the area were both
 *    "fluent": a correct hypothesis before any hint, at or faster than the team's median time to
 *    first correct hypothesis for that area.
 */
export const STAGES = [
  "unconsciously_incompetent",
  "consciously_incompetent",
  "consciously_competent",
  "unconsciously_competent",
] as const;
export type Stage = (typeof STAGES)[number];

/** Roles that do not count as playing: the GM knows the answer, observers only watch. */
const NOT_PLAYING = new Set(["gm", "observer"]);

export type Trend = "improving" | "steady" | "worsening" | "unknown";

export interface DrillEvidence {
  readonly session_id: string;
  readonly started_at: string;
  readonly role: string;
  readonly hypotheses: number;
  /** Seconds from the fault injection to the person's first correct hypothesis. */
  readonly time_to_correct_hypothesis_s?: number;
  /** Hints released before that hypothesis (or during the whole drill, when none was correct). */
  readonly hints_before: number;
  readonly fluent: boolean;
}

export interface Competence {
  readonly person: string;
  readonly area: string;
  readonly stage: Stage;
  /** 1..4, the position of `stage`. */
  readonly level: 1 | 2 | 3 | 4;
  /** Why this stage, in one sentence. */
  readonly reason: string;
  readonly drills: readonly DrillEvidence[];
  readonly roles: Readonly<Record<string, number>>;
  /** The team's median time to first correct hypothesis in this area, seconds. */
  readonly team_median_s?: number;
  /** Of the person's time to correct hypothesis, last drill against the earlier ones. */
  readonly trend: Trend;
  /** Learning events in this area the person attended or facilitated (ids), oldest first. */
  readonly learning_events: readonly string[];
}

/**
 * One person at one learning event (a brownbag, kata, dojo, hackday, popup class), in a plain
 * shape: the learning unit builds it from its table. It counts as evidence that the person has
 * met the area's problems, so it lifts stage 1 to 2 — never further: only drills show competence.
 */
export interface LearningAttendance {
  readonly event_id: string;
  readonly person: string;
  readonly areas: readonly string[];
  /** YYYY-MM-DD or an RFC 3339 instant. */
  readonly held_on: string;
}

export interface CompetenceQuery {
  /** Only these people (default: everyone who played, plus `declared` people). */
  readonly people?: readonly string[];
  /** Only these areas. */
  readonly areas?: readonly string[];
  /** Skill areas people declare (member records): they get a row even without a drill. */
  readonly declared?: ReadonlyMap<string, readonly string[]>;
  /** Learning events attended or facilitated: stage 1 → 2 in their areas (docs/learning.md). */
  readonly learning?: readonly LearningAttendance[];
}

/** Competence per person and skill area from drill history; interviews never count. */
export function assessCompetence(history: readonly DrillRecord[], query: CompetenceQuery = {}): Competence[] {
  const drills = history.filter((d) => !d.interview).sort((a, b) => ms(a.started_at) - ms(b.started_at));
  const pairs = new Map<string, Set<string>>();
  const add = (person: string, area: string) => {
    if (query.people && !query.people.includes(person)) return;
    if (query.areas && !query.areas.includes(area)) return;
    const areas = pairs.get(person) ?? new Set<string>();
    areas.add(area);
    pairs.set(person, areas);
  };
  for (const [person, areas] of query.declared ?? []) for (const area of areas) add(person, area);
  for (const d of drills)
    for (const p of d.participants)
      if (!NOT_PLAYING.has(p.role)) for (const area of d.areas) add(p.name, area);
  for (const l of query.learning ?? []) for (const area of l.areas) add(l.person, area);
  for (const person of query.people ?? []) for (const area of query.areas ?? []) add(person, area);

  const medians = new Map<string, number | undefined>();
  const teamMedian = (area: string) => {
    if (!medians.has(area)) medians.set(area, areaMedian(drills, area));
    return medians.get(area);
  };
  const out: Competence[] = [];
  for (const [person, areas] of [...pairs].sort(([a], [b]) => a.localeCompare(b))) {
    for (const area of [...areas].sort()) {
      const learned = (query.learning ?? [])
        .filter((l) => l.person === person && l.areas.includes(area))
        .sort((a, b) => a.held_on.localeCompare(b.held_on) || a.event_id.localeCompare(b.event_id))
        .map((l) => l.event_id);
      out.push(assessOne(drills, person, area, teamMedian(area), [...new Set(learned)]));
    }
  }
  return out;
}

function assessOne(
  drills: readonly DrillRecord[],
  person: string,
  area: string,
  teamMedian: number | undefined,
  learned: readonly string[],
): Competence {
  const evidence: DrillEvidence[] = [];
  const roles: Record<string, number> = {};
  for (const d of drills) {
    if (!d.areas.includes(area)) continue;
    const seat = d.participants.find((p) => p.name === person && !NOT_PLAYING.has(p.role));
    if (!seat) continue;
    roles[seat.role] = (roles[seat.role] ?? 0) + 1;
    evidence.push(evidenceOf(d, person, seat.role, teamMedian));
  }
  const { stage, reason } = withLearning(stageFor(evidence), learned.length);
  const timed = evidence.flatMap((e) =>
    e.time_to_correct_hypothesis_s === undefined ? [] : [e.time_to_correct_hypothesis_s],
  );
  return {
    person,
    area,
    stage,
    level: (STAGES.indexOf(stage) + 1) as Competence["level"],
    reason,
    drills: evidence,
    roles,
    ...(teamMedian !== undefined ? { team_median_s: teamMedian } : {}),
    trend: trendOf(timed),
    learning_events: learned,
  };
}

/**
 * A learning event in the area means the person has met its problems and knows what they do not
 * know yet: stage 1 becomes 2. Higher stages stay as the drills put them.
 */
function withLearning(
  found: { stage: Stage; reason: string },
  events: number,
): { stage: Stage; reason: string } {
  if (events === 0 || found.stage !== STAGES[0]) return found;
  return {
    stage: STAGES[1],
    reason: `${plural(events, "learning event")} in this area; ${found.reason}`,
  };
}

function evidenceOf(
  d: DrillRecord,
  person: string,
  role: string,
  teamMedian: number | undefined,
): DrillEvidence {
  const entries = [...d.entries].sort((a, b) => ms(a.at) - ms(b.at));
  const hypotheses = entries.filter((e) => e.kind === "hypothesis" && e.by === person);
  const correct = hypotheses.find((e) => e.correct === true);
  const until = correct ? ms(correct.at) : Number.POSITIVE_INFINITY;
  const hints = entries.filter((e) => e.kind === "hint" && ms(e.at) <= until).length;
  const ttch =
    correct && d.fault_injected_at !== undefined
      ? Math.max(0, (ms(correct.at) - ms(d.fault_injected_at)) / 1000)
      : undefined;
  const fluent =
    correct !== undefined &&
    hints === 0 &&
    (teamMedian === undefined || (ttch !== undefined && ttch <= teamMedian));
  return {
    session_id: d.session_id,
    started_at: d.started_at,
    role,
    hypotheses: hypotheses.length,
    ...(ttch !== undefined ? { time_to_correct_hypothesis_s: ttch } : {}),
    hints_before: hints,
    fluent,
  };
}

/** The stage a person's drills in one area (oldest first) put them at. */
export function stageFor(drills: readonly DrillEvidence[]): { stage: Stage; reason: string } {
  if (drills.length === 0) return { stage: STAGES[0], reason: "no drill played in this area yet" };
  const stated = drills.reduce((n, d) => n + d.hypotheses, 0);
  if (stated === 0) {
    return {
      stage: STAGES[0],
      reason: `played ${plural(drills.length, "drill")} in this area without stating a hypothesis`,
    };
  }
  const lastTwo = drills.slice(-2);
  if (lastTwo.length === 2 && lastTwo.every((d) => d.fluent)) {
    return {
      stage: STAGES[3],
      reason: "the last two drills: correct hypothesis without hints, at or faster than the team median",
    };
  }
  const unaided = drills.filter((d) => d.time_to_correct_hypothesis_s !== undefined && d.hints_before === 0);
  const correct = drills.filter((d) => d.time_to_correct_hypothesis_s !== undefined);
  if (unaided.length > 0) {
    return {
      stage: STAGES[2],
      reason: `${plural(unaided.length, "correct hypothesis", "correct hypotheses")} without hints, not yet fluent twice in a row`,
    };
  }
  return {
    stage: STAGES[1],
    reason:
      correct.length > 0
        ? `stated ${plural(stated, "hypothesis", "hypotheses")}; correct ones only after hints`
        : `stated ${plural(stated, "hypothesis", "hypotheses")}, none correct yet`,
  };
}

/** The last timed drill against the mean of the earlier ones: 10 % either way is a trend. */
function trendOf(times: readonly number[]): Trend {
  if (times.length < 2) return "unknown";
  const last = times[times.length - 1] as number;
  const earlier = times.slice(0, -1);
  const mean = earlier.reduce((a, b) => a + b, 0) / earlier.length;
  if (last <= mean * 0.9) return "improving";
  if (last >= mean * 1.1) return "worsening";
  return "steady";
}

/** Median over the area's drills of the time to the first correct hypothesis by anyone. */
function areaMedian(drills: readonly DrillRecord[], area: string): number | undefined {
  const times: number[] = [];
  for (const d of drills) {
    if (!d.areas.includes(area) || d.fault_injected_at === undefined) continue;
    const firsts = d.entries
      .filter((e) => e.kind === "hypothesis" && e.correct === true)
      .map((e) => ms(e.at))
      .sort((a, b) => a - b);
    if (firsts[0] !== undefined) times.push(Math.max(0, (firsts[0] - ms(d.fault_injected_at)) / 1000));
  }
  return median(times);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
