import {
  type Attributes,
  type AttributeTypes,
  type Case,
  XES_END,
  type XesPrologue,
  xesPrologue,
  xesTrace,
} from "../../mining/index.ts";
import type { CaseTrace, LogWriter } from "./model.ts";

/**
 * What the runs log declares up front, since it is written one run at a time: every trace and
 * event key as a global (with a default, as the standard asks of globals; `message` is on some
 * events only, so it is not one), both classifiers, and the standard lifecycle model.
 */
const PROLOGUE: XesPrologue = {
  comment: "Runs of opsdojo operations: one trace per run and target (docs/operations.md).",
  extensions: ["concept", "time", "lifecycle"],
  traceGlobals: [
    { key: "concept:name", type: "string", value: "" },
    { key: "run_id", type: "string", value: "" },
    { key: "target", type: "string", value: "" },
    { key: "operation", type: "string", value: "" },
    { key: "status", type: "string", value: "" },
  ],
  eventGlobals: [
    { key: "concept:name", type: "string", value: "" },
    { key: "lifecycle:transition", type: "string", value: "complete" },
    { key: "time:timestamp", type: "date", value: 0 },
    { key: "action", type: "string", value: "" },
    { key: "journal_event", type: "string", value: "" },
    { key: "seq", type: "int", value: 0 },
  ],
  classifiers: [
    { name: "Activity", keys: "concept:name" },
    { name: "Activity_lifecycle", keys: "concept:name lifecycle:transition" },
  ],
  attributes: { "concept:name": "opsdojo runs", "lifecycle:model": "standard" },
  attributeTypes: {},
};

const TYPES: AttributeTypes = { log: {}, trace: {}, event: { seq: "int" } };

/** A run's case in the event-log model that mining's writers take. */
function toCase(t: CaseTrace): Case {
  return {
    id: t.caseId,
    attributes: { run_id: t.runId, target: t.target, operation: t.operation, status: t.status },
    events: t.events.map((e) => {
      const attributes: Attributes = { action: e.action, journal_event: e.journalEvent, seq: e.seq };
      if (e.message !== null) attributes.message = e.message;
      // The mapping wrote the timestamp from a parsed one (utcMillis), so it parses again.
      return { activity: e.activity, lifecycle: e.lifecycle, timestamp: Date.parse(e.timestamp), attributes };
    }),
  };
}

/**
 * IEEE 1849-2016 XES, written by mining's XES writer (so the runs export and `mine` write one
 * dialect): the concept, time and lifecycle extensions, global trace and event attributes, two
 * classifiers, and one `<trace>` per case.
 *
 * @example
 * <trace>
 *   <string key="concept:name" value="run_01k…/app-1"/> … <string key="status" value="rolled_back"/>
 *   <event>
 *     <string key="concept:name" value="write-config"/>
 *     <string key="lifecycle:transition" value="start"/>
 *     <date key="time:timestamp" value="2026-05-01T10:00:00.000Z"/> …
 *   </event>
 * </trace>
 */
export const xesWriter: LogWriter = {
  format: "xes",
  header: () => xesPrologue(PROLOGUE),
  trace: (t) => xesTrace(toCase(t), TYPES),
  footer: () => XES_END,
};
