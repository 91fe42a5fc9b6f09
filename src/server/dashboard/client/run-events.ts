/**
 * A run's journalled events in words (one sentence per event, the raw fields on hover), and what
 * the run changed: per target, each step that acted and where it ended (in place, undone, kept,
 * not undone). Plain text out; the caller escapes it.
 */
import type { RunEventPage } from "./api-types.ts";
import { fields } from "./format.ts";

type RunEvent = RunEventPage["items"][number];
type Data = Readonly<Record<string, unknown>>;

const s = (v: unknown) =>
  v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);

/** What an event says, in words. `step` is the step's name, looked up when the event has only its index. */
export function sentence(type: string, data: Data, step: string): string {
  const who = data.target ? `${s(data.target)}: ` : "";
  switch (type) {
    case "run.queued":
      return "queued";
    case "run.claimed":
      return `claimed by ${s(data.owner) || "a node"}`;
    case "run.started":
      return "started";
    case "batch.started":
      return `batch started${Array.isArray(data.targets) ? `: ${data.targets.map(s).join(", ")}` : ""}`;
    case "step.started":
      return `${who}${step} started (${s(data.action)})`;
    case "step.succeeded":
      return `${who}${step} done`;
    case "step.retrying":
      return `${who}${step} failed, trying again${data.attempt ? ` (attempt ${s(data.attempt)})` : ""}`;
    case "step.failed":
      return `${who}${step} failed: ${s(data.error)}${data.outcome === "unknown" ? " (stopped part way: what it changed is not known)" : ""}`;
    case "check.passed":
      return `${who}${s(data.phase)}-check ${s(data.check)} of ${step} passed`;
    case "check.failed":
      return `${who}${s(data.phase)}-check ${s(data.check)} of ${step} failed: expected ${s(data.expected)}, observed ${s(data.observed)}`;
    case "step.undo_planned":
      return `${who}undo of ${step} planned`;
    case "step.undo_started":
      return `${who}undoing ${step}`;
    case "step.undone":
      return `${who}${step} undone${data.reason === "already_restored" ? " (it was already as before)" : ""}${data.detail ? `: ${s(data.detail)}` : ""}`;
    case "step.kept":
      return `${who}${step} kept as someone else left it: ${s(data.detail)}`;
    case "step.undo_failed":
      return `${who}${step} could not be undone: ${s(data.reason)}`;
    case "step.irreversible":
      return `${who}${step} cannot be undone`;
    case "identity.changed":
      return `${who}${s(data.from)} is now ${s(data.to)}`;
    case "run.rolling_back":
      return "rolling back";
    case "run.rolled_back":
      return Array.isArray(data.unrestored) && data.unrestored.length === 0
        ? "rolled back: every change undone"
        : `rolled back · ${fields(data)}`;
    case "step.observed":
      return `${who}${data.phase === "pre" ? "before" : "after"} ${step}: ${states(data.states)}`;
    default:
      // A run's final events (run.succeeded, run.rolled_back, …) and any new kind: the fields as they are.
      return `${type.replace(/^run\./, "").replaceAll("_", " ")}${Object.keys(data).length ? ` · ${fields(data)}` : ""}`;
  }
}

/** A state the engine recorded (reconcile): what each resource was, briefly. */
function states(value: unknown): string {
  if (!value || typeof value !== "object") return s(value);
  return Object.entries(value)
    .map(([resource, state]) => `${resource} ${brief(state)}`)
    .join("; ");
}

function brief(state: unknown): string {
  if (!state || typeof state !== "object") return s(state);
  const o = state as Data;
  const parts = [s(o.type ?? o.state)];
  if (typeof o.size === "number") parts.push(`${o.size} bytes`);
  if (typeof o.sha256 === "string") parts.push(`sha256 ${o.sha256.slice(0, 12)}…`);
  const known = parts.filter(Boolean);
  return known.length > 0 ? known.join(", ") : fields(o);
}

export type Outcome = "changed" | "undone" | "kept" | "not undone" | "failed" | "unknown" | "in flight";

export interface Change {
  readonly target: string;
  readonly step: string;
  readonly action: string;
  readonly outcome: Outcome;
  /** The resources the step touched, as the engine recorded them (empty when it did not). */
  readonly resources: readonly string[];
}

export interface ReadEvents {
  readonly rows: readonly { readonly event: RunEvent; readonly text: string }[];
  readonly changes: readonly Change[];
}

/** Reads the events in order: the sentence of each, and the changes they add up to. */
export function readEvents(events: readonly RunEvent[]): ReadEvents {
  // Transitions name a step by index; step.started by name: the one just started on a target is
  // the one its next transition is about (a target runs one step at a time).
  const names = new Map<string, string>();
  const lastStarted = new Map<string, { step: string; action: string }>();
  const changes = new Map<
    string,
    { target: string; step: string; action: string; outcome: Outcome; resources: string[] }
  >();
  const rows = events.map((event) => {
    const data = (event.data ?? {}) as Data;
    const target = s(data.target);
    let step = s(data.step);
    if (event.type === "step.started") lastStarted.set(target, { step, action: s(data.action) });
    if (data.step_index !== undefined) {
      const key = `${target}\0${s(data.step_index)}`;
      if (!names.has(key)) names.set(key, lastStarted.get(target)?.step ?? `step ${s(data.step_index)}`);
      step ||= names.get(key) ?? "";
      const found = changes.get(key) ?? {
        target,
        step,
        action: lastStarted.get(target)?.action ?? "",
        outcome: "in flight" as Outcome,
        resources: [],
      };
      if (event.type === "step.observed" && data.states && typeof data.states === "object")
        for (const resource of Object.keys(data.states))
          if (!found.resources.includes(resource)) found.resources.push(resource);
      const outcome = OUTCOMES[event.type];
      if (outcome === "failed" && data.outcome === "unknown") found.outcome = "unknown";
      else if (outcome) found.outcome = outcome;
      changes.set(key, found);
    }
    return { event, text: sentence(event.type, data, step) };
  });
  return { rows, changes: [...changes.values()] };
}

const OUTCOMES: Readonly<Record<string, Outcome>> = {
  "step.succeeded": "changed",
  "step.failed": "failed",
  "step.undone": "undone",
  "step.kept": "kept",
  "step.undo_failed": "not undone",
};
