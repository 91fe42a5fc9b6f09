/**
 * The one door to the learning API (surveys, evidence per dimension, bus factors), which is built
 * beside the wall and may not be on every server yet. Each read answers `none` when the route is
 * not there (404) or has nothing to show, so the panel says "nothing yet" instead of failing; a
 * body of another shape is an error that names the route. The shapes expected are in
 * docs/dashboard.md ("The learning API the wall reads").
 */
import { authHeaders, problem } from "../api.ts";

export interface EvidenceLine {
  readonly label: string;
  readonly value: string;
}

export interface DimensionResult {
  readonly title: string;
  /** The team's mean answer, 1–6; null while fewer than 3 have answered. */
  readonly score: number | null;
  readonly evidence: readonly EvidenceLine[];
}

export interface SurveyResults {
  readonly survey: string;
  readonly respondents: number;
  readonly dimensions: readonly DimensionResult[];
}

export interface Coverage {
  /** A service or a skill area. */
  readonly name: string;
  readonly kind: "service" | "area";
  readonly busFactor: number;
  readonly people: readonly string[];
}

export interface BusFactors {
  /** Services and areas, the least covered first. */
  readonly coverage: readonly Coverage[];
  /** People whose absence would leave something uncovered, with what. */
  readonly brent: readonly { readonly person: string; readonly uncovers: readonly string[] }[];
}

export type Maybe<T> = { readonly state: "none" } | { readonly state: "some"; readonly value: T };
const NONE = { state: "none" } as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

class ShapeError extends Error {
  constructor(path: string) {
    super(
      `${path} answered in a shape the wall does not know (docs/dashboard.md, "The learning API the wall reads")`,
    );
  }
}

/** A JSON body, or undefined when the route is not on this server. */
async function read(path: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(path, { headers: authHeaders({ accept: "application/json" }), signal });
  if (response.status === 404) return undefined;
  if (!response.ok) throw await problem(response);
  return response.json();
}

/** The latest survey round's results, each dimension with its evidence (docs/learning.md). */
export async function surveyResults(signal: AbortSignal): Promise<Maybe<SurveyResults>> {
  const rounds = await read("/api/survey-rounds", signal);
  if (rounds === undefined) return NONE;
  if (!isObject(rounds)) throw new ShapeError("/api/survey-rounds");
  // Oldest first: the latest round is the last one opened.
  const latest = list(rounds.items)
    .filter(isObject)
    .sort((x, y) => str(x.opened_on).localeCompare(str(y.opened_on)))
    .at(-1);
  if (latest === undefined || typeof latest.id !== "string") return NONE;
  const path = `/api/survey-rounds/${encodeURIComponent(latest.id)}/results`;
  const [results, evidence] = await Promise.all([read(path, signal), read("/api/learning/evidence", signal)]);
  if (results === undefined) return NONE;
  if (!isObject(results) || !Array.isArray(results.dimensions)) throw new ShapeError(path);
  // The indicators behind each dimension's evidence score, by dimension.
  const indicators = new Map<string, EvidenceLine[]>();
  if (isObject(evidence)) {
    for (const d of list(evidence.dimensions).filter(isObject)) {
      indicators.set(
        str(d.dimension),
        list(d.indicators)
          .filter(isObject)
          .map((i) => ({
            label: str(i.title) || str(i.id),
            value:
              i.value === null || i.value === undefined
                ? "—"
                : `${str(i.value)}${i.unit ? ` ${str(i.unit)}` : ""}`,
          })),
      );
    }
  }
  const dimensions = results.dimensions.filter(isObject).map((d): DimensionResult => {
    const score = num(d.evidence);
    return {
      title: str(d.title) || str(d.dimension),
      score: num(d.survey),
      evidence: [
        ...(score === null ? [] : [{ label: "evidence score", value: `${score} of 6` }]),
        ...(indicators.get(str(d.dimension)) ?? []),
      ],
    };
  });
  if (dimensions.length === 0) return NONE;
  const survey = isObject(results.survey) ? results.survey : {};
  return {
    state: "some",
    value: {
      survey: `${str(survey.title) || str(survey.name) || "survey"} · ${str(latest.name)}`,
      respondents: num(latest.responses) ?? 0,
      dimensions,
    },
  };
}

/** Bus factors per service and skill area, and the Brent report (`GET /api/learning/bus-factor`). */
export async function busFactors(signal: AbortSignal): Promise<Maybe<BusFactors>> {
  const path = "/api/learning/bus-factor";
  const body = await read(path, signal);
  if (body === undefined) return NONE;
  if (!isObject(body)) throw new ShapeError(path);
  const services = list(body.services)
    .filter(isObject)
    .map(
      (c): Coverage => ({
        name: str(c.service),
        kind: "service",
        busFactor: num(c.bus_factor) ?? list(c.people).length,
        people: list(c.people).map(str),
      }),
    );
  const areas = list(body.areas)
    .filter(isObject)
    .map(
      (c): Coverage => ({
        name: str(c.area),
        kind: "area",
        busFactor: num(c.bus_factor) ?? list(c.covered_by).length,
        people: list(c.covered_by).map(str),
      }),
    );
  const all = [...services, ...areas].sort(
    (a, b) => a.busFactor - b.busFactor || a.name.localeCompare(b.name),
  );
  const brent = list(body.brents)
    .filter(isObject)
    .map((b) => ({ person: str(b.name), uncovers: [...list(b.services), ...list(b.areas)].map(str) }));
  if (all.length === 0 && brent.length === 0) return NONE;
  return { state: "some", value: { coverage: all, brent } };
}
