// What the learning demo adds for the wall (`/#/wall`) beyond the team's record: a mined deploy
// process with deviations (seed-mining.ts), a practice game day to play live (seed-practice.ts),
// and open action items that did not come from a drill, so every age on the wall has one.
import type { CoreContext } from "../../src/api/index.ts";
import type { ManualClock } from "../../src/core/index.ts";
import { ActionItems } from "../../src/gamedays/index.ts";
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
  const items = new ActionItems(core);
  for (const [daysAgo, title, owner] of [
    [120, "Write down who may restart the ledger", "hal"],
    [60, "Make web pass CB-07 of the service conventions", "eli"],
    [2, "Pair someone with gus on Vault (the bus-factor report)", "gus"],
  ] as const) {
    core.clock.set(at(daysAgo));
    await items.create({ title, owner });
  }
  const mining = await seedMining(core, at);
  core.clock.set(at(1));
  return { mining, practice: await seedPractice(core, home, at(-3)) };
}
