import type { Clock } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import { deriveMetrics, type SessionMetrics } from "../metrics/index.ts";
import { parseScenario, type Scenario } from "../scenario/index.ts";
import { SessionRepository } from "../session/index.ts";
import type { Core } from "../team/resource-table.ts";
import { listEntries } from "../timeline/index.ts";
import { ActionItems, RetroEntries } from "./action-items.ts";
import { type ActionEffect, compareActionEffect, type ScenarioRun } from "./effect.ts";
import type { PlayerChange, PostmortemInput, PostmortemMetrics } from "./input.ts";

/** The session's times in seconds, from the metrics derived from its timeline. */
export function metricsInSeconds(m: SessionMetrics): PostmortemMetrics {
  const s = (x: { ms: number } | null) => (x === null ? undefined : x.ms / 1000);
  return {
    ...(m.injected_at !== null ? { fault_injected_at: m.injected_at } : {}),
    ...(m.detect ? { time_to_detect_s: s(m.detect) } : {}),
    ...(m.acknowledge ? { time_to_acknowledge_s: s(m.acknowledge) } : {}),
    ...(m.first_correct_hypothesis ? { time_to_correct_hypothesis_s: s(m.first_correct_hypothesis) } : {}),
    ...(m.mitigate ? { time_to_mitigate_s: s(m.mitigate) } : {}),
    ...(m.resolve ? { time_to_resolve_s: s(m.resolve) } : {}),
    ...(m.clean_restore !== null ? { restore_clean: m.clean_restore } : {}),
  };
}

/**
 * Everything a postmortem of `sessionId` is written from: the session (and the scenario text it
 * played, for the brief and the GM notes), its timeline and metrics (the same derivation as
 * `gameday metrics`), retro entries, its action items, and how the done action items of the same
 * scenario moved the times of its later runs.
 */
export async function loadPostmortemInput(
  core: Core & { clock: Clock },
  sessionId: string,
): Promise<PostmortemInput> {
  const store: Store = core.store;
  const repo = new SessionRepository(store, core.clock);
  const session = await repo.get(sessionId);
  const { source, file } = await repo.source(sessionId);
  let scenario: Scenario | undefined;
  try {
    scenario = parseScenario(source, file);
  } catch {
    // A scenario text that no longer parses still has a session worth writing up.
  }
  const entries = await listEntries(store.db, sessionId);
  const actions = new ActionItems(core);
  const retro = await new RetroEntries(core).forSession(sessionId);
  const items = await actions.forSession(sessionId);
  const earlier = (await actions.forScenario(session.scenario)).filter(
    (a) => a.status === "done" && a.closed_at !== undefined && a.session_id !== sessionId,
  );
  const effects: ActionEffect[] = [];
  if (earlier.length > 0) {
    const runs = await scenarioRuns(store, core.clock, session.scenario);
    for (const item of earlier) effects.push(compareActionEffect(item, runs));
  }
  return {
    session: {
      id: session.id,
      scenario: {
        name: session.scenario,
        title: session.title,
        ...(scenario?.difficulty !== undefined ? { difficulty: scenario.difficulty } : {}),
        ...(scenario?.brief !== undefined ? { brief: scenario.brief } : {}),
        ...(scenario?.gm_notes !== undefined ? { gm_notes: scenario.gm_notes } : {}),
      },
      participants: [{ name: session.gm, role: "gm" }, ...session.players],
      started_at: session.startedAt,
      ...(session.endedAt !== null ? { ended_at: session.endedAt } : {}),
      ...(session.endReason !== null ? { end_reason: session.endReason } : {}),
      ...(session.cleanRestore !== null ? { restore_clean: session.cleanRestore } : {}),
    },
    timeline: entries.map((e) => ({
      at: e.at,
      source: e.source,
      kind: e.kind,
      text: e.text,
      ...(e.by !== null ? { by: e.by } : {}),
      ...(e.correct !== null ? { correct: e.correct } : {}),
    })),
    metrics: metricsInSeconds(deriveMetrics(entries)),
    retro,
    action_items: items,
    effects,
    players_changed: entries.filter((e) => e.kind === "fault.conflict").map((e) => playerChange(e.data)),
  };
}

function playerChange(d: Record<string, unknown>): PlayerChange {
  const text = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : "");
  return {
    fault: text("fault"),
    resource: text("resource"),
    before: text("pre"),
    after_fault: text("post"),
    found: text("now"),
    policy: text("policy"),
    ...(text("kept_at") ? { kept_at: text("kept_at") } : {}),
    ...(text("diff") ? { diff: text("diff") } : {}),
  };
}

/** Every session of a scenario with its metrics; interviews marked. */
export async function scenarioRuns(store: Store, _clock: Clock, scenario: string): Promise<ScenarioRun[]> {
  const sessions = await store.db
    .selectFrom("gameday_sessions")
    .select(["id", "started_at", "kind"])
    .where("scenario_name", "=", scenario)
    .orderBy("started_at")
    .execute();
  const interviews = new Set(
    (
      await store.db
        .selectFrom("team_interviews")
        .select("session_id")
        .where("session_id", "is not", null)
        .where("deleted_at", "is", null)
        .execute()
    ).flatMap((r) => (r.session_id === null ? [] : [r.session_id])),
  );
  const runs: ScenarioRun[] = [];
  for (const s of sessions) {
    runs.push({
      session_id: s.id,
      scenario,
      started_at: s.started_at,
      interview: s.kind === "interview" || interviews.has(s.id),
      metrics: metricsInSeconds(deriveMetrics(await listEntries(store.db, s.id))),
    });
  }
  return runs;
}
