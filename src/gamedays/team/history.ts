/**
 * Drill history as the people functions read it: one record per played session, in a plain shape
 * that does not depend on how sessions and timelines are stored. `fromStore` (history-store.ts)
 * builds it from the game-day tables; tests build it by hand.
 */
export interface DrillRecord {
  readonly session_id: string;
  /** Scenario name. */
  readonly scenario: string;
  /** Skill areas the scenario exercises. */
  readonly areas: readonly string[];
  readonly started_at: string;
  /** The ground-truth instant the (first) fault was injected; absent if none was. */
  readonly fault_injected_at?: string | undefined;
  /** Interviews never count in team history (competence, rotation, metrics). */
  readonly interview: boolean;
  /** Everyone at the table, the GM included (role `gm`). */
  readonly participants: readonly Participant[];
  /** Human entries and hint releases, in time order or not (the functions sort what they need). */
  readonly entries: readonly DrillEntry[];
}

export interface Participant {
  readonly name: string;
  /** gm, primary, secondary, scribe, observer, or a scenario's own role. */
  readonly role: string;
}

export interface DrillEntry {
  readonly at: string;
  /** ack, hypothesis, action, mitigated, resolved, note — or `hint` for a released hint. */
  readonly kind: string;
  readonly by?: string | undefined;
  /** On a hypothesis: whether the GM marked it correct (absent: not judged). */
  readonly correct?: boolean | undefined;
}

/** Roles that respond to the incident (the GM knows the answer; observers only watch). */
export const RESPONDER_ROLES = new Set([
  "primary",
  "secondary",
  "responder",
  "commander",
  "incident-commander",
]);

export function gmOf(drill: DrillRecord): string | undefined {
  return drill.participants.find((p) => p.role === "gm")?.name;
}

export function ms(at: string): number {
  return Date.parse(at);
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
