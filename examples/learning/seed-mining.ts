// The learning demo's process mining: a log of the team's deploys, generated here (a fresh clone
// has no log of its own to mine), mined into a job through the mining unit's own classes; a
// model is discovered from the first 12 deploys, and the last 4 deploys are checked against it,
// so the wall's "live deviations" panel has something true to show: a deploy that skipped its
// approval, one that rolled back, one that went live before its canary.
import type { CoreContext } from "../../src/api/index.ts";
import type { ManualClock } from "../../src/core/index.ts";
import { createMiningUnit } from "../../src/mining/index.ts";

/** The deploy process the team follows, step by step, as the deployer logs it. */
const FOLLOWED = [
  "deploy requested",
  "change approved",
  "canary started",
  "canary healthy",
  "rollout finished",
];

/** The later deploys: one fits; the others leave the process in three ways. */
const LATER: ReadonlyArray<readonly string[]> = [
  FOLLOWED,
  ["deploy requested", "canary started", "canary healthy", "rollout finished"],
  ["deploy requested", "change approved", "canary started", "rollback started", "rollback finished"],
  ["deploy requested", "change approved", "rollout finished", "canary started"],
];

const LEARN_FROM = 12;

export interface MiningSummary {
  readonly job: string;
  readonly model: string;
  readonly lines: number;
  readonly deploys: number;
}

/** One deploy's lines, a few minutes apart, in the job's format: `<Date> <Time> <Case> <Content>`. */
function deployLines(n: number, steps: readonly string[], start: Date): string[] {
  return steps.map((step, k) => {
    const iso = new Date(start.getTime() + k * (3 + ((n + k) % 4)) * 60_000).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)} deploy-${100 + n} ${step}`;
  });
}

async function* once(lines: readonly string[]): AsyncIterable<readonly string[]> {
  yield lines;
}

/**
 * Mine the deploys into a job "deploys", discover "the deploy process" from the first twelve,
 * attach a deviation check, then mine the last four: the check stores each deviation as its line
 * is mined, at the demo's clock.
 */
export async function seedMining(
  core: Pick<CoreContext, "store" | "cursors"> & { clock: ManualClock },
  at: (daysAgo: number, minutes?: number) => Date,
): Promise<MiningSummary> {
  const { clock } = core;
  const mining = createMiningUnit(core);
  try {
    clock.set(at(30));
    const job = await mining.jobs.create({
      name: "deploys",
      log_format: "<Date> <Time> <Case> <Content>",
      case_field: "Case",
    });
    const learnt = Array.from({ length: LEARN_FROM }, (_, n) =>
      deployLines(n, FOLLOWED, at(30 - n * 2, 9 * 60)),
    ).flat();
    await mining.jobs.upload(job.id, once(learnt));
    clock.set(at(6));
    const model = await mining.models.create({ job_id: job.id, name: "the deploy process" });
    await mining.checks.ensure(job.id, model.id);
    let lines = learnt.length;
    // The later deploys happened in the last few hours: the wall's deviations are live ones.
    for (const [k, steps] of LATER.entries()) {
      const start = -(LATER.length - k) * 45 - 30;
      clock.set(at(0, start + 30));
      const later = deployLines(LEARN_FROM + k, steps, at(0, start));
      await mining.jobs.upload(job.id, once(later));
      lines += later.length;
    }
    return { job: job.name, model: model.name, lines, deploys: LEARN_FROM + LATER.length };
  } finally {
    await mining.workers.close();
  }
}
