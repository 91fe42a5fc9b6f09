import { systemClock } from "../../core/index.ts";
import {
  formatOffset,
  type SessionMetrics,
  type SessionRecord,
  SessionRepository,
} from "../../gamedays/index.ts";
import type { Store } from "../../store/index.ts";
import { type Session, withLocalStore } from "../context.ts";
import { warnInterrupted } from "../gamedays/local-backend.ts";
import type { Style } from "../output.ts";

/**
 * Open the store for a `gameday` command. Every one of them first marks as interrupted the
 * sessions whose process is gone, and warns about each interrupted session still unrestored.
 */
export function withGameday<T>(
  session: Session,
  task: (store: Store, repo: SessionRepository) => Promise<T>,
) {
  return withLocalStore(session.env, async (store) => {
    await warnInterrupted(session, store);
    return task(store, new SessionRepository(store, systemClock));
  });
}

/** The session as `--json` prints it. */
export function sessionJson(s: SessionRecord) {
  return {
    id: s.id,
    scenario: s.scenario,
    title: s.title,
    kind: s.kind,
    status: s.status,
    gm: s.gm,
    players: s.players,
    started_at: s.startedAt,
    fault_injected_at: s.faultInjectedAt,
    ended_at: s.endedAt,
    end_reason: s.endReason,
    clean_restore: s.cleanRestore,
    faults: s.faults.map((f) => ({
      name: f.name,
      status: f.status,
      run_id: f.runId,
      injected_at: f.injectedAt,
      restore_status: f.restoreStatus,
    })),
  };
}

export function describeSession(s: SessionRecord, style: Style): string {
  const restore =
    s.cleanRestore === null
      ? ""
      : s.cleanRestore
        ? style.green(" restore clean")
        : style.red(" restore NOT clean");
  const lines = [
    `session ${style.bold(s.id)} (${s.kind}) of ${s.scenario}: ${s.status}${s.endReason ? ` — ${s.endReason}` : ""}${restore}`,
    `  GM ${s.gm}; ${s.players.map((p) => `${p.name} (${p.role})`).join(", ") || "no players"}`,
  ];
  for (const f of s.faults) {
    lines.push(
      `  fault ${f.name}: ${f.status}${f.injectedAt ? ` at ${f.injectedAt}` : ""}${f.runId ? ` (run ${f.runId})` : ""}${f.restoreStatus ? `; undo: ${f.restoreStatus}` : ""}`,
    );
  }
  return lines.join("\n");
}

/** 0 when the session ended with everything restored; 2 when something is still broken (like an incomplete rollback). */
export function sessionExitCode(s: SessionRecord): number {
  return s.cleanRestore === true ? 0 : 2;
}

/** `detect 2.1s, acknowledge 20.3s, …` measured from the injection, for people. */
export function describeMetrics(m: SessionMetrics): string {
  if (m.injected_at === null) return "  no fault took effect: no response times";
  const t = (x: { ms: number } | null) => (x ? formatOffset(x.ms) : "-");
  return `  from the injection at ${m.injected_at}: detect ${t(m.detect)}, acknowledge ${t(m.acknowledge)}, first correct hypothesis ${t(m.first_correct_hypothesis)}, mitigate ${t(m.mitigate)}, resolve ${t(m.resolve)}`;
}
