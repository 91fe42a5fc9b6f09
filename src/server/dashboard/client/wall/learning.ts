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

/** The newest survey's results with the evidence per dimension. */
export async function surveyResults(signal: AbortSignal): Promise<Maybe<SurveyResults>> {
  const surveys = await read("/api/surveys?sort=-created_at&limit=1", signal);
  if (surveys === undefined) return NONE;
  if (!isObject(surveys)) throw new ShapeError("/api/surveys");
  const newest = list(surveys.items)[0];
  if (!isObject(newest) || typeof newest.id !== "string") return NONE;
  const path = `/api/surveys/${encodeURIComponent(newest.id)}/results`;
  const results = await read(path, signal);
  if (results === undefined) return NONE;
  if (!isObject(results) || !Array.isArray(results.dimensions)) throw new ShapeError(path);
  const dimensions = results.dimensions.filter(isObject).map(
    (d): DimensionResult => ({
      title: str(d.title) || str(d.key),
      score: num(d.score),
      evidence: list(d.evidence)
        .filter(isObject)
        .map((e) => ({
          label: str(e.label) || str(e.indicator),
          value: `${str(e.value)}${e.unit ? ` ${str(e.unit)}` : ""}`,
        })),
    }),
  );
  if (dimensions.length === 0) return NONE;
  return {
    state: "some",
    value: {
      survey: str(newest.title) || str(newest.name) || newest.id,
      respondents: num(results.respondents) ?? 0,
      dimensions,
    },
  };
}

/** Bus factors per service and skill area, and the Brent report. */
export async function busFactors(signal: AbortSignal): Promise<Maybe<BusFactors>> {
  const body = await read("/api/bus-factors", signal);
  if (body === undefined) return NONE;
  if (!isObject(body)) throw new ShapeError("/api/bus-factors");
  const coverage = (kind: Coverage["kind"], key: string) =>
    list(body[kind === "service" ? "services" : "areas"])
      .filter(isObject)
      .map(
        (c): Coverage => ({
          name: str(c[key]) || str(c.name),
          kind,
          busFactor: num(c.bus_factor) ?? list(c.people).length,
          people: list(c.people).map(str),
        }),
      );
  const all = [...coverage("service", "service"), ...coverage("area", "area")].sort(
    (a, b) => a.busFactor - b.busFactor || a.name.localeCompare(b.name),
  );
  const brent = list(body.brent)
    .filter(isObject)
    .map((b) => ({ person: str(b.person), uncovers: list(b.uncovers).map(str) }));
  if (all.length === 0 && brent.length === 0) return NONE;
  return { state: "some", value: { coverage: all, brent } };
}
