import { type ActionEffect, formatSeconds } from "./effect.ts";
import {
  METRIC_LABELS,
  METRIC_NAMES,
  type MetricName,
  type PlayerChange,
  type PostmortemInput,
  type TimelineItem,
} from "./input.ts";
import type { ActionItem } from "./model.ts";

/** The postmortem document: what `--format json` prints and the Markdown is rendered from. */
export interface Postmortem {
  readonly session_id: string;
  readonly scenario: string;
  readonly title: string;
  /** Always true: a drill is never a real incident. */
  readonly drill: true;
  readonly gm?: string;
  readonly participants: readonly { readonly name: string; readonly role: string }[];
  readonly started_at: string;
  readonly ended_at?: string;
  readonly end_reason?: string;
  readonly summary: string;
  readonly impact: Impact;
  readonly timeline: readonly PostmortemTimelineItem[];
  readonly metrics: readonly PostmortemMetric[];
  readonly went_well: readonly string[];
  readonly went_wrong: readonly string[];
  readonly lucky: readonly string[];
  readonly root_cause?: string;
  readonly action_items: readonly ActionItem[];
  readonly effects: readonly ActionEffect[];
  /** What the players changed since the faults, as the restore found it (kept, with diffs). */
  readonly players_changed: readonly PlayerChange[];
}

export interface Impact {
  readonly brief?: string;
  readonly fault_injected_at?: string;
  /** From the first failing objective to the resolution (or the end of the session). */
  readonly degraded_s?: number;
  readonly stop_condition_tripped: boolean;
  readonly restore_clean?: boolean;
  readonly statement: string;
}

export interface PostmortemTimelineItem extends TimelineItem {
  /** Seconds from the fault injection (negative before it); absent without an injection. */
  readonly offset_s?: number;
}

export interface PostmortemMetric {
  readonly name: MetricName;
  readonly label: string;
  readonly seconds?: number;
}

/** Turn the raw material of a session into a blameless postmortem. */
export function buildPostmortem(input: PostmortemInput): Postmortem {
  const { session, metrics } = input;
  const injected = metrics.fault_injected_at;
  const timeline = [...input.timeline]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map(
      (t): PostmortemTimelineItem => ({
        ...t,
        ...(injected !== undefined ? { offset_s: (Date.parse(t.at) - Date.parse(injected)) / 1000 } : {}),
      }),
    );
  const gm = session.participants.find((p) => p.role === "gm")?.name;
  const restore = metrics.restore_clean ?? session.restore_clean;
  const retro = (kind: "well" | "wrong" | "lucky") =>
    input.retro.filter((r) => r.kind === kind).map((r) => (r.by ? `${r.text} (${r.by})` : r.text));
  const pm: Postmortem = {
    session_id: session.id,
    scenario: session.scenario.name,
    title: session.scenario.title ?? session.scenario.name,
    drill: true,
    ...(gm !== undefined ? { gm } : {}),
    participants: session.participants,
    started_at: session.started_at,
    ...(session.ended_at !== undefined ? { ended_at: session.ended_at } : {}),
    ...(session.end_reason !== undefined ? { end_reason: session.end_reason } : {}),
    summary: summaryOf(input, gm),
    impact: impactOf(input, timeline, restore),
    timeline,
    metrics: METRIC_NAMES.map((name) => ({
      name,
      label: METRIC_LABELS[name],
      ...(metrics[name] !== undefined ? { seconds: metrics[name] } : {}),
    })),
    went_well: retro("well"),
    went_wrong: retro("wrong"),
    lucky: retro("lucky"),
    ...(session.scenario.gm_notes?.trim() ? { root_cause: session.scenario.gm_notes.trim() } : {}),
    action_items: input.action_items,
    effects: input.effects ?? [],
    players_changed: input.players_changed ?? [],
  };
  return pm;
}

function summaryOf(input: PostmortemInput, gm: string | undefined): string {
  const { session, metrics } = input;
  const players = session.participants.filter((p) => p.role !== "gm");
  const who = players.length === 0 ? "nobody" : joinWords(players.map((p) => `${p.name} (${p.role})`));
  const title = session.scenario.title ?? session.scenario.name;
  const parts = [
    `On ${session.started_at.slice(0, 10)} ${who} worked the drill "${title}"${gm ? `, run by ${gm} as game master` : ""}.`,
  ];
  if (metrics.fault_injected_at === undefined) {
    parts.push("No fault was injected.");
  } else {
    const steps: string[] = [];
    const at = (m: MetricName, words: string) => {
      const v = metrics[m];
      if (v !== undefined) steps.push(`${words} after ${formatSeconds(v)}`);
    };
    at("time_to_detect_s", "detected it");
    at("time_to_acknowledge_s", "acknowledged it");
    at("time_to_correct_hypothesis_s", "named the cause");
    at("time_to_mitigate_s", "mitigated it");
    at("time_to_resolve_s", "resolved it");
    parts.push(
      steps.length > 0
        ? `The fault went in at ${metrics.fault_injected_at}; the team ${joinWords(steps)}.`
        : `The fault went in at ${metrics.fault_injected_at}; the team did not detect it.`,
    );
    if (metrics.time_to_resolve_s === undefined)
      parts.push("The incident was not resolved during the session.");
    const hints = hintsBeforeCause(input);
    if (hints > 0)
      parts.push(
        `${hints === 1 ? "One hint was" : `${hints} hints were`} released before the cause was named.`,
      );
  }
  if (session.end_reason) parts.push(`The session ended: ${session.end_reason.replaceAll("_", " ")}.`);
  return parts.join(" ");
}

function impactOf(
  input: PostmortemInput,
  timeline: readonly PostmortemTimelineItem[],
  restore: boolean | undefined,
): Impact {
  const { session, metrics } = input;
  const firstFailing = timeline.find((t) => t.source === "auto" && /objective.*fail/.test(t.kind));
  const stop = timeline.some((t) => t.source === "auto" && /stop/.test(t.kind));
  const endMs =
    metrics.fault_injected_at !== undefined && metrics.time_to_resolve_s !== undefined
      ? Date.parse(metrics.fault_injected_at) + metrics.time_to_resolve_s * 1000
      : session.ended_at !== undefined
        ? Date.parse(session.ended_at)
        : undefined;
  const degraded =
    firstFailing !== undefined && endMs !== undefined
      ? Math.max(0, (endMs - Date.parse(firstFailing.at)) / 1000)
      : undefined;
  const sentences: string[] = [];
  if (degraded !== undefined)
    sentences.push(`Objectives failed for ${formatSeconds(degraded)} (from ${firstFailing?.at}).`);
  else if (metrics.fault_injected_at !== undefined) sentences.push("No objective was seen failing.");
  if (stop) sentences.push("A stop condition tripped: the drill was aborted to protect the environment.");
  if (restore === true)
    sentences.push("Every fault was undone and the objectives passed again: the environment is back.");
  if (restore === false)
    sentences.push(
      "The environment was NOT restored cleanly: objectives still failed after every fault was undone.",
    );
  sentences.push("This was a drill; it counts as no real incident.");
  return {
    ...(session.scenario.brief?.trim() ? { brief: session.scenario.brief.trim() } : {}),
    ...(metrics.fault_injected_at !== undefined ? { fault_injected_at: metrics.fault_injected_at } : {}),
    ...(degraded !== undefined ? { degraded_s: degraded } : {}),
    stop_condition_tripped: stop,
    ...(restore !== undefined ? { restore_clean: restore } : {}),
    statement: sentences.join(" "),
  };
}

/** Hints released before the first correct hypothesis (or during the whole session without one). */
function hintsBeforeCause(input: PostmortemInput): number {
  const injected = input.metrics.fault_injected_at;
  const correct = input.metrics.time_to_correct_hypothesis_s;
  const until =
    injected !== undefined && correct !== undefined
      ? Date.parse(injected) + correct * 1000
      : Number.POSITIVE_INFINITY;
  return input.timeline.filter((t) => t.kind.startsWith("hint") && Date.parse(t.at) <= until).length;
}

function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
