import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { discover } from "../discovery/index.ts";
import { readRawLog } from "../eventlog/index.ts";
import { mineFiles, resolveFormat, TemplateMiner } from "../templates/index.ts";
import { rawLineParser } from "./line-parser.ts";
import { Watcher } from "./watcher.ts";

afterAll(removeTempDirs);

const FORMAT = "<Date> <Time> <Level> <Content>";

/** One order's lines: received, checked (by one of several clerks), shipped to a depot. */
function order(n: number, steps: readonly ("received" | "checked" | "shipped" | "refunded")[]): string[] {
  const text = {
    received: `req=o${100 + n} received order ${5000 + n} from 10.0.${n % 7}.${n}`,
    checked: `req=o${100 + n} order ${5000 + n} checked in ${20 + n} ms`,
    shipped: `req=o${100 + n} shipped order ${5000 + n} to depot ${n % 5}`,
    refunded: `req=o${100 + n} refunded order ${5000 + n} amount ${n}.50`,
  };
  return steps.map((s, i) => `2024-01-01 10:${String(n % 60).padStart(2, "0")}:0${i} INFO ${text[s]}`);
}

describe("watching a raw log with the template state the model was mined with", () => {
  it("names lines as the model does and flags only the deviating orders", async () => {
    const dir = await tempDir();
    const training = join(dir, "training.log");
    const lines: string[] = [];
    for (let n = 0; n < 12; n++) lines.push(...order(n, ["received", "checked", "shipped"]));
    await writeFile(training, `${lines.join("\n")}\n`);
    // As `mine templates --state` and `mine discover --case` do it.
    const { format } = await resolveFormat({ logFormat: FORMAT });
    const { miner } = await mineFiles([training], { format });
    const { log } = await readRawLog(training, { case: "req=(o\\d+)", logFormat: FORMAT });
    const model = discover(log);
    expect(model.dfg.activities.map((a) => a.name).sort()).toEqual([
      "req=<*> order <*> checked in <*> ms",
      "req=<*> received order <*> from <*>",
      "req=<*> shipped order <*> to depot <*>",
    ]);

    const watcher = new Watcher(model, {
      clock: new ManualClock(),
      parser: rawLineParser({
        format,
        case: "req=(o\\d+)",
        miner: TemplateMiner.fromState(miner.state(format.source)),
      }),
    });
    const live = [
      ...order(50, ["received", "checked", "shipped"]),
      ...order(51, ["received", "shipped"]), // line 5: checked skipped
      ...order(52, ["received", "checked", "refunded", "shipped"]), // line 8: refunded is new
      "2024-01-01 10:59:59 INFO heartbeat ok", // no case: not an event
    ];
    const flagged = live.flatMap((l, i) => watcher.line(l, i + 1)).map((d) => [d.case, d.kind, d.line]);
    expect(flagged).toEqual([
      ["o151", "missing", 5],
      ["o152", "unexpected", 8],
    ]);
  });
});
