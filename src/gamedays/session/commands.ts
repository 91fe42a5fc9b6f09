import { GamedayItemNotFoundError, SessionStateError } from "../errors.ts";
import { parseScenario } from "../scenario/index.ts";
import type { SessionRepository } from "./repository.ts";
import { releasable, scheduleOf } from "./schedule.ts";

/**
 * Ask the running session to release an inject or hint at its next check (the GM's call), from
 * any process: the CLI's `gameday release` and `POST /api/sessions/{id}/release`. Returns the
 * command's id (none on a dry run, which only checks).
 */
export async function requestRelease(
  repo: SessionRepository,
  id: string,
  item: string,
  by: string | null,
  options: { dryRun?: boolean } = {},
): Promise<string | undefined> {
  const record = await repo.get(id);
  if (record.status !== "running") {
    throw new SessionStateError(
      `session ${id} is ${record.status}; only a running session releases injects and hints`,
      { status: record.status },
    );
  }
  const { source, file } = await repo.source(id);
  const schedule = scheduleOf(parseScenario(source, file));
  if (!releasable(schedule, item)) {
    const known = schedule.filter((i) => i.type !== "fault").map((i) => i.id);
    throw new GamedayItemNotFoundError(
      `the scenario has no inject or hint "${item}"; it has ${known.join(", ") || "none"}`,
      { item },
    );
  }
  if (options.dryRun) return undefined;
  return repo.addCommand(id, { type: "release", item }, by);
}

/**
 * The GM's word: the running session ends (as resolved, or not) at its next check and restores
 * every fault. From `gameday end` and `POST /api/sessions/{id}/end`. Returns the command's id
 * (none on a dry run, which only checks).
 */
export async function requestEnd(
  repo: SessionRepository,
  id: string,
  resolved: boolean,
  by: string | null,
  options: { dryRun?: boolean } = {},
): Promise<string | undefined> {
  const record = await repo.get(id);
  if (record.status === "interrupted") {
    throw new SessionStateError(
      `session ${id} was left open by a process that is gone; \`opsdojo gameday restore ${id}\` undoes its faults`,
      { status: record.status },
    );
  }
  if (record.status !== "running") {
    throw new SessionStateError(`session ${id} is ${record.status}; only a running session can be ended`, {
      status: record.status,
    });
  }
  if (options.dryRun) return undefined;
  return repo.addCommand(id, { type: "end", resolved }, by);
}
