import { writeFile } from "node:fs/promises";
import { renderModel } from "../../mining/index.ts";
import { loadRunHistory, MIN_HISTORY, mineRunModel } from "../../operations/index.ts";
import { type Session, withLocalStore } from "../context.ts";
import type { CommandResult } from "../output.ts";
import { modelFormat } from "./mine-discover.ts";

const COMMAND = "opsdojo runs model";

export interface RunsModelOptions {
  readonly format?: string;
  readonly out?: string;
}

/**
 * `opsdojo runs model OPERATION`: the operation's completed runs (the latest 50) mined into a
 * process model — printed, or written to `--out` with a summary — in any format `mine discover` writes.
 */
export async function runsModel(
  session: Session,
  operation: string,
  options: RunsModelOptions,
): Promise<CommandResult> {
  const format = modelFormat(options, COMMAND);
  return withLocalStore(session.env, async (store) => {
    const history = await loadRunHistory(store, operation);
    const { model, log } = mineRunModel(history);
    const rendered = renderModel(model, format);
    if (options.out === undefined) return { json: rendered, text: () => rendered, raw: true };
    await writeFile(options.out, rendered);
    const json = {
      operation,
      runs: history.runs,
      cases: log.cases.length,
      activities: model.dfg.activities.length,
      live_check: history.runs >= MIN_HISTORY,
      out: options.out,
      format,
    };
    return {
      json,
      text: (s) =>
        [
          `${s.bold(operation)}: model of ${json.runs} completed runs (${json.cases} cases, ${json.activities} activities)`,
          json.live_check
            ? "new runs are checked against it live (run.deviation events)"
            : s.dim(`new runs are checked live from ${MIN_HISTORY} completed runs on`),
          s.dim(`${format.toUpperCase()} written to ${options.out}`),
        ].join("\n"),
    };
  });
}
