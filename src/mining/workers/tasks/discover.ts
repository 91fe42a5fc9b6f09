import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpsdojoError } from "../../../core/index.ts";
import { type Algorithm, discover, modelToJson, type ProcessModelJson } from "../../discovery/index.ts";
import {
  type Case,
  type EventLog,
  EventLogFormatError,
  emptyAttributeTypes,
  readCsv,
  readXesStream,
} from "../../eventlog/index.ts";
import { parseState } from "../../templates/index.ts";
import { MiningLimitError } from "../errors.ts";
import { activityNames } from "./activities.ts";

/** An event log uploaded as text (CSV or XES). */
export interface UploadedLog {
  readonly source: "upload";
  readonly format: "csv" | "xes";
  readonly text: string;
  readonly caseColumn?: string | undefined;
  readonly activityColumn?: string | undefined;
  readonly timestampColumn?: string | undefined;
}

/** A mining job's event log: its events in line order, and its miner state (for activity names). */
export interface JobLog {
  readonly source: "job";
  readonly state: string;
  readonly events: readonly { seq: number; case_id: string; template_id: number; at: string | null }[];
}

export interface DiscoverTask {
  readonly log: UploadedLog | JobLog;
  readonly algorithm: Algorithm;
  readonly noise?: number | undefined;
  readonly dependencyThreshold?: number | undefined;
  readonly maxActivities: number;
  readonly maxEvents: number;
  /** Read and check the log against the limits, discover nothing. */
  readonly validateOnly: boolean;
}

export interface DiscoverResult {
  readonly cases: number;
  readonly events: number;
  readonly activities: number;
  /** With `validateOnly`: the activities, sorted. */
  readonly activityNames?: string[];
  /** Absent with `validateOnly`. */
  readonly model?: ProcessModelJson;
}

/** Where in the request a bad log is: `/job_id` or `/event_log/text`. */
const pointerOf = (task: DiscoverTask) => (task.log.source === "job" ? "/job_id" : "/event_log/text");

/**
 * Read the log, check it against the limits (events, activities), and discover a model from it.
 * Runs inside a mining worker: a big log blocks only that worker.
 */
export async function runDiscover(task: DiscoverTask): Promise<DiscoverResult> {
  const log = task.log.source === "job" ? jobLog(task.log) : await uploadedLog(task.log);
  let events = 0;
  const activities = new Set<string>();
  for (const c of log.cases) {
    events += c.events.length;
    for (const e of c.events) activities.add(e.activity);
  }
  if (events > task.maxEvents)
    throw new MiningLimitError("maxEvents", task.maxEvents, `the event log has ${events} events`);
  if (activities.size > task.maxActivities)
    throw new MiningLimitError(
      "maxActivities",
      task.maxActivities,
      `the event log has ${activities.size} activities`,
    );
  if (log.cases.length === 0)
    throw new OpsdojoError("mining_input_invalid", "the event log has no cases to discover a model from", {
      kind: "invalid",
      details: { pointer: pointerOf(task) },
    });
  const counts = { cases: log.cases.length, events, activities: activities.size };
  if (task.validateOnly) return { ...counts, activityNames: [...activities].sort() };
  const model = modelToJson(
    discover(log, {
      algorithm: task.algorithm,
      ...(task.noise === undefined ? {} : { noise: task.noise }),
      ...(task.dependencyThreshold === undefined ? {} : { dependencyThreshold: task.dependencyThreshold }),
    }),
  );
  return { ...counts, model };
}

/** A job's event log: its cases in order of first line, activities the templates as they are now. */
function jobLog(job: JobLog): EventLog {
  const nameOf = activityNames(parseState(JSON.parse(job.state), "the job's state"));
  const cases = new Map<string, Case>();
  for (const e of job.events) {
    let c = cases.get(e.case_id);
    if (!c) {
      c = { id: e.case_id, attributes: {}, events: [] };
      cases.set(e.case_id, c);
    }
    c.events.push({
      activity: nameOf(Number(e.template_id)),
      timestamp: e.at === null ? null : Date.parse(e.at),
      attributes: { line: Number(e.seq) },
    });
  }
  const attributeTypes = emptyAttributeTypes();
  attributeTypes.event.line = "int";
  return { attributes: {}, attributeTypes, cases: [...cases.values()] };
}

/** A CSV or XES log sent as text; its errors name `event_log`, never a temporary file. */
async function uploadedLog(upload: UploadedLog): Promise<EventLog> {
  const name = "event_log";
  try {
    if (upload.format === "xes") {
      const cases: Case[] = [];
      async function* bytes() {
        yield Buffer.from(upload.text, "utf8");
      }
      const header = await readXesStream(bytes(), name, (c) => cases.push(c));
      return { attributes: header.attributes, attributeTypes: header.attributeTypes, cases };
    }
    const dir = await mkdtemp(join(tmpdir(), "opsdojo-model-"));
    try {
      const file = join(dir, "upload.csv");
      await writeFile(file, upload.text, { mode: 0o600 });
      try {
        return await readCsv(file, {
          ...(upload.caseColumn === undefined ? {} : { case: upload.caseColumn }),
          ...(upload.activityColumn === undefined ? {} : { activity: upload.activityColumn }),
          ...(upload.timestampColumn === undefined ? {} : { timestamp: upload.timestampColumn }),
        });
      } catch (error) {
        if (error instanceof EventLogFormatError)
          throw new EventLogFormatError(
            name,
            error.line,
            error.message.replace(/^.*?upload\.csv(:\d+)?: /, ""),
          );
        throw error;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } catch (error) {
    if (error instanceof EventLogFormatError)
      throw new OpsdojoError("mining_input_invalid", error.message, {
        kind: "invalid",
        details: { pointer: "/event_log/text" },
      });
    throw error;
  }
}
