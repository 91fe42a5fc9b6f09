import type { Dfg } from "../../discovery/index.ts";
import { netFromJson, type PetriNetJson } from "../../petri/index.ts";
import { Watcher } from "../../watch/index.ts";

export interface ReplayTask {
  readonly model: { readonly net: PetriNetJson; readonly dfg: Dfg };
  /** Each case's events from its first, in line order, with their activity names resolved. */
  readonly cases: readonly {
    readonly caseId: string;
    readonly events: readonly {
      readonly line: number;
      readonly activity: string;
      readonly at: string | null;
    }[];
  }[];
  /** Deviations on lines up to this one were found before and are not reported again. */
  readonly checked: number;
}

export interface FoundDeviation {
  readonly case_id: string;
  readonly activity: string;
  readonly kind: string;
  readonly expected: string;
  readonly position: number;
  readonly line: number;
  readonly at: string | null;
}

/**
 * Replay cases against a model with the online Watcher, from each case's first event: the same
 * events give the same deviations, so those of lines checked before are recognised by their line
 * and left out. Runs inside a mining worker.
 */
export function runReplay(task: ReplayTask): FoundDeviation[] {
  const watcher = new Watcher(
    { net: netFromJson(task.model.net, "model"), dfg: task.model.dfg },
    { maxCases: 1_000_000 },
  );
  const found: FoundDeviation[] = [];
  for (const { caseId, events } of task.cases) {
    events.forEach((event, index) => {
      for (const d of watcher.event({ case: caseId, activity: event.activity, line: event.line })) {
        if (event.line <= task.checked) continue;
        found.push({
          case_id: caseId,
          activity: d.activity,
          kind: d.kind,
          expected: JSON.stringify(d.expected),
          position: index + 1,
          line: event.line,
          at: event.at,
        });
      }
    });
  }
  return found;
}
