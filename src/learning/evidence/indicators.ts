import { plural } from "../../core/index.ts";
import type { DrillRecord } from "../../gamedays/index.ts";
import { DIMENSIONS, type DimensionId } from "../survey/model.ts";
import type { DimensionEvidence, Evidence, EvidenceInput, Indicator } from "./model.ts";
import { below, round2, towards } from "./scale.ts";

const DAY = 86_400_000;
/** A month of the window, for "per month" rates. */
const MONTH_DAYS = 30;
const NOT_PLAYING = new Set(["gm", "observer"]);

/** What every indicator gets: the input cut to the window, and the team's size. */
interface Ctx {
  readonly input: EvidenceInput;
  readonly from: number;
  readonly until: number;
  readonly months: number;
  readonly team: number;
  readonly drills: readonly DrillRecord[];
  readonly classOf: ReadonlyMap<string, string>;
}

interface IndicatorSpec {
  readonly id: string;
  readonly dimension: DimensionId;
  readonly title: string;
  readonly unit: string;
  /** The formula as docs/learning.md states it (a test checks each id is documented). */
  readonly formula: string;
  readonly measure: (ctx: Ctx) => { value: number | null; score: number | null; basis: string };
}

const inWindow = (ctx: Ctx, at: string | undefined) => {
  if (at === undefined) return false;
  const t = Date.parse(at.length === 10 ? `${at}T12:00:00Z` : at);
  return t > ctx.from && t <= ctx.until;
};
const none = (basis: string) => ({ value: null, score: null, basis });
const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** The indicators, one list: the evidence, `survey results` and docs/learning.md all follow it. */
export const INDICATORS: readonly IndicatorSpec[] = [
  {
    id: "drills-per-person-month",
    dimension: "continuous-learning",
    title: "Drill seats per person per month",
    unit: "seats/person/month",
    formula: "seats taken in drills (GM and players, not observers) ÷ team size ÷ months; target 1",
    measure: (ctx) => {
      const seats = ctx.drills.reduce(
        (n, d) => n + d.participants.filter((p) => p.role !== "observer").length,
        0,
      );
      const v = seats / ctx.team / ctx.months;
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${plural(seats, "seat")} in ${plural(ctx.drills.length, "drill")}`,
      };
    },
  },
  {
    id: "learning-events-per-person-month",
    dimension: "continuous-learning",
    title: "Learning-event attendance per person per month",
    unit: "attendances/person/month",
    formula: "people at learning events (participants and facilitator) ÷ team size ÷ months; target 1",
    measure: (ctx) => {
      const events = ctx.input.learningEvents.filter((e) => inWindow(ctx, e.held_on));
      const seats = events.reduce((n, e) => n + new Set([e.facilitator, ...e.participants]).size, 0);
      const v = seats / ctx.team / ctx.months;
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${plural(seats, "attendance")} at ${plural(events.length, "event")}`,
      };
    },
  },
  {
    id: "hypotheses-per-drill",
    dimension: "inquiry-and-dialogue",
    title: "Hypotheses stated per drill",
    unit: "hypotheses/drill",
    formula: "hypothesis entries on drill timelines ÷ drills; target 5",
    measure: (ctx) => {
      if (ctx.drills.length === 0) return none("no drill in the window");
      const n = ctx.drills.reduce((a, d) => a + d.entries.filter((e) => e.kind === "hypothesis").length, 0);
      const v = n / ctx.drills.length;
      return {
        value: round2(v),
        score: towards(v, 5),
        basis: `${plural(n, "hypothesis", "hypotheses")} in ${plural(ctx.drills.length, "drill")}`,
      };
    },
  },
  {
    id: "drills-with-retro",
    dimension: "inquiry-and-dialogue",
    title: "Drills with a retro",
    unit: "share of drills",
    formula: "drills with at least one retro entry (went well / wrong / lucky) ÷ drills; target 100%",
    measure: (ctx) => {
      if (ctx.drills.length === 0) return none("no drill in the window");
      const n = ctx.drills.filter((d) => ctx.input.retroSessions.has(d.session_id)).length;
      const v = share(n, ctx.drills.length);
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${n} of ${plural(ctx.drills.length, "drill")} (${pct(v)})`,
      };
    },
  },
  {
    id: "mixed-class-drills",
    dimension: "team-learning",
    title: "Drills with mixed classes",
    unit: "share of drills",
    formula:
      "drills whose players (GM and observers aside) are of 2 or more member classes ÷ drills with 2 or more players of known class; target 100%",
    measure: (ctx) => {
      const judged = ctx.drills
        .map((d) =>
          d.participants
            .filter((p) => !NOT_PLAYING.has(p.role))
            .flatMap((p) => ctx.classOf.get(p.name) ?? []),
        )
        .filter((classes) => classes.length >= 2);
      if (judged.length === 0) return none("no drill with two players of known class");
      const n = judged.filter((classes) => new Set(classes).size >= 2).length;
      const v = share(n, judged.length);
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${n} of ${plural(judged.length, "drill")} (${pct(v)})`,
      };
    },
  },
  {
    id: "interviews-per-month",
    dimension: "team-learning",
    title: "Interviews run per month",
    unit: "interviews/month",
    formula: "interviews recorded ÷ months; target 1",
    measure: (ctx) => {
      const n = ctx.input.interviews.filter((i) => inWindow(ctx, i.created_at)).length;
      const v = n / ctx.months;
      return { value: round2(v), score: towards(v, 1), basis: plural(n, "interview") };
    },
  },
  {
    id: "gm-spread",
    dimension: "empowerment",
    title: "GM rotation spread",
    unit: "share",
    formula: "distinct GMs ÷ min(team size, drills); target 100%",
    measure: (ctx) => {
      if (ctx.drills.length === 0) return none("no drill in the window");
      const gms = new Set(
        ctx.drills.flatMap((d) => d.participants.filter((p) => p.role === "gm").map((p) => p.name)),
      );
      const v = share(gms.size, Math.min(ctx.team, ctx.drills.length));
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${plural(gms.size, "GM")} over ${plural(ctx.drills.length, "drill")}`,
      };
    },
  },
  {
    id: "facilitator-spread",
    dimension: "empowerment",
    title: "Who teaches",
    unit: "share",
    formula: "distinct facilitators of learning events ÷ min(team size, events); target 100%",
    measure: (ctx) => {
      const events = ctx.input.learningEvents.filter((e) => inWindow(ctx, e.held_on));
      if (events.length === 0) return none("no learning event in the window");
      const who = new Set(events.map((e) => e.facilitator));
      const v = share(who.size, Math.min(ctx.team, events.length));
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${plural(who.size, "facilitator")} over ${plural(events.length, "event")}`,
      };
    },
  },
  {
    id: "run-starters",
    dimension: "empowerment",
    title: "Who starts runs",
    unit: "share",
    formula:
      "distinct team members who started runs in the window ÷ team size (other starters, e.g. a CI token, are named in the basis, not counted); target 100%",
    measure: (ctx) => {
      const runs = ctx.input.runs.filter((r) => inWindow(ctx, r.created_at));
      if (runs.length === 0) return none("no run in the window records who started it");
      const starters = new Set(runs.map((r) => r.started_by));
      // Without a recorded team, every starter is taken for a person (as team size is then who was seen).
      const team = ctx.classOf.size > 0 ? ctx.classOf : undefined;
      const people = [...starters].filter((s) => team === undefined || team.has(s));
      const others = [...starters].filter((s) => team !== undefined && !team.has(s)).sort();
      // Without a recorded team, more starters than drill participants can be seen: at most all.
      const v = Math.min(1, share(people.length, ctx.team));
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${plural(people.length, "person", "people")} of ${ctx.team} started ${plural(runs.length, "run")}${
          others.length > 0 ? `; not on the team: ${others.join(", ")}` : ""
        }`,
      };
    },
  },
  {
    id: "action-items-done",
    dimension: "embedded-systems",
    title: "Action items done",
    unit: "share",
    formula:
      "action items done ÷ (done + open), of those created in the window (dropped ones left out); target 100%",
    measure: (ctx) => {
      const items = ctx.input.actionItems.filter(
        (a) => inWindow(ctx, a.created_at) && a.status !== "dropped",
      );
      if (items.length === 0) return none("no action item in the window");
      const done = items.filter((a) => a.status === "done").length;
      const v = share(done, items.length);
      return { value: round2(v), score: towards(v, 1), basis: `${done} done, ${items.length - done} open` };
    },
  },
  {
    id: "reruns-after-action",
    dimension: "embedded-systems",
    title: "Scenarios re-run after an action item",
    unit: "share",
    formula:
      "done action items naming a scenario that a drill played again after the item closed ÷ done action items naming a scenario; target 100%",
    measure: (ctx) => {
      const items = ctx.input.actionItems.filter(
        (a) => a.status === "done" && a.scenario !== undefined && inWindow(ctx, a.closed_at),
      );
      if (items.length === 0) return none("no done action item with a scenario in the window");
      const rerun = items.filter((a) =>
        ctx.input.drills.some(
          (d) =>
            !d.interview &&
            d.scenario === a.scenario &&
            Date.parse(d.started_at) > Date.parse(a.closed_at as string),
        ),
      ).length;
      const v = share(rerun, items.length);
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${rerun} of ${plural(items.length, "item")} re-run`,
      };
    },
  },
  {
    id: "services-with-owner",
    dimension: "system-connection",
    title: "Services owned by a team member",
    unit: "share",
    formula:
      "services in the directory whose owner (comma-separated) names a live member ÷ services; target 100%",
    measure: (ctx) => {
      const services = ctx.input.services;
      if (services.length === 0) return none("no service in the directory");
      const n = services.filter((s) => ownersOf(s.owner).some((o) => ctx.classOf.has(o))).length;
      const v = share(n, services.length);
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${n} of ${plural(services.length, "service")}`,
      };
    },
  },
  {
    id: "services-conformant",
    dimension: "system-connection",
    title: "Services passing conformance",
    unit: "share",
    formula:
      "services whose latest conformance result has no MUST failure ÷ services (never checked counts as not passing); target 100%",
    measure: (ctx) => {
      const services = ctx.input.services;
      if (services.length === 0) return none("no service in the directory");
      const n = services.filter((s) => s.mustFailures !== undefined && s.mustFailures.length === 0).length;
      const v = share(n, services.length);
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${n} of ${plural(services.length, "service")} pass`,
      };
    },
  },
  {
    id: "days-to-done",
    dimension: "strategic-leadership",
    title: "Median days from action item to done",
    unit: "days",
    formula:
      "median over items done in the window of (closed_at − created_at) in days; 7 days or less → 6, 90 or more → 1",
    measure: (ctx) => {
      const days = ctx.input.actionItems
        .filter((a) => a.status === "done" && inWindow(ctx, a.closed_at))
        .map((a) => (Date.parse(a.closed_at as string) - Date.parse(a.created_at)) / DAY)
        .sort((a, b) => a - b);
      if (days.length === 0) return none("no action item done in the window");
      const mid = Math.floor(days.length / 2);
      const v =
        days.length % 2 ? (days[mid] as number) : ((days[mid - 1] as number) + (days[mid] as number)) / 2;
      return { value: round2(v), score: below(v, 7, 90), basis: `${plural(days.length, "item")} done` };
    },
  },
  {
    id: "open-items-on-time",
    dimension: "strategic-leadership",
    title: "Open action items not overdue",
    unit: "share",
    formula: "open action items without a due date before the window's end ÷ open action items; target 100%",
    measure: (ctx) => {
      const open = ctx.input.actionItems.filter((a) => a.status === "open");
      if (open.length === 0) return none("no open action item");
      const today = new Date(ctx.until).toISOString().slice(0, 10);
      const late = open.filter((a) => a.due_date !== undefined && a.due_date < today).length;
      const v = share(open.length - late, open.length);
      return {
        value: round2(v),
        score: towards(v, 1),
        basis: `${late} of ${plural(open.length, "open item")} overdue`,
      };
    },
  },
];

function ownersOf(owner: string): string[] {
  return owner
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
}

/**
 * Evidence per dimension from opsdojo's own data over a window (default the 90 days before
 * `until`): each indicator in its own unit and on the 1–6 scale, and per dimension the mean of
 * the scores that exist. Interviews never count as drills.
 */
export function computeEvidence(input: EvidenceInput): Evidence {
  const days = input.windowDays ?? 90;
  const until = input.until.getTime();
  const from = until - days * DAY;
  const drills = input.drills.filter((d) => !d.interview);
  const seen = new Set(drills.flatMap((d) => d.participants.map((p) => p.name)));
  const ctx: Ctx = {
    input,
    from,
    until,
    months: days / MONTH_DAYS,
    team: Math.max(1, input.members.length > 0 ? input.members.length : seen.size),
    drills: drills.filter((d) => {
      const t = Date.parse(d.started_at);
      return t > from && t <= until;
    }),
    classOf: new Map(input.members.map((m) => [m.name, m.class])),
  };
  const dimensions: DimensionEvidence[] = DIMENSIONS.map((dimension) => {
    const indicators: Indicator[] = INDICATORS.filter((s) => s.dimension === dimension).map((s) => ({
      id: s.id,
      dimension: s.dimension,
      title: s.title,
      unit: s.unit,
      ...s.measure(ctx),
    }));
    const scores = indicators.flatMap((i) => (i.score === null ? [] : [i.score]));
    return {
      dimension,
      score: scores.length === 0 ? null : round2(scores.reduce((a, b) => a + b, 0) / scores.length),
      indicators,
    };
  });
  return {
    window: { from: new Date(from).toISOString(), until: input.until.toISOString(), days },
    team_size: ctx.team,
    dimensions,
  };
}
