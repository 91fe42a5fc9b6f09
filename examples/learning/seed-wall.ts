// What the learning demo adds for the wall (`/#/wall`) beyond the team's record: a mined deploy
// process with deviations (seed-mining.ts) and a practice game day to play live (seed-practice.ts).
import type { CoreContext } from "../../src/api/index.ts";
import type { ManualClock } from "../../src/core/index.ts";
import { type MiningSummary, seedMining } from "./seed-mining.ts";
import { type PracticeSummary, seedPractice } from "./seed-practice.ts";

export interface WallSummary {
  readonly mining: MiningSummary;
  readonly practice: PracticeSummary;
}

export async function seedWall(
  core: Pick<CoreContext, "store" | "cursors"> & { clock: ManualClock },
  home: string,
  at: (daysAgo: number, minutes?: number) => Date,
): Promise<WallSummary> {
  const mining = await seedMining(core, at);
  core.clock.set(at(1));
  return { mining, practice: await seedPractice(core, home) };
}
