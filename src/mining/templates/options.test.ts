import { describe, expect, it } from "vitest";
import { maskMessage } from "./mask.ts";
import { TemplateMiner } from "./miner.ts";
import { DEFAULT_MINER_OPTIONS, MINER_OPTION_CHOICES, minerOptionGrid } from "./options.ts";

const texts = (miner: TemplateMiner) => miner.templates().map((t) => t.tokens.join(" "));

describe("miner options", () => {
  it("searches every combination, the defaults first (ties go to them)", () => {
    const grid = minerOptionGrid();
    const size = Object.values(MINER_OPTION_CHOICES).reduce((n, values) => n * values.length, 1);
    expect(grid).toHaveLength(size);
    expect(grid[0]).toEqual(DEFAULT_MINER_OPTIONS);
    for (const [key, values] of Object.entries(MINER_OPTION_CHOICES)) {
      expect(values[0]).toBe(DEFAULT_MINER_OPTIONS[key as keyof typeof DEFAULT_MINER_OPTIONS]);
      expect(new Set<unknown>(values).size).toBe(values.length);
    }
  });

  it("distinctValues: the number of words that makes a position a parameter", () => {
    const lines = ["wheel", "staff", "audio"].map((g) => `Invalid group ${g} from 10.0.0.1`);
    const three = new TemplateMiner({ distinctValues: 3 });
    const five = new TemplateMiner();
    for (const line of lines) {
      three.add(line);
      five.add(line);
    }
    expect(texts(three)).toEqual(["Invalid group <*> from <*>"]);
    expect(five.size).toBe(3);
  });

  it("firstWordByVariety: the first word becomes a parameter by variety only when allowed", () => {
    const words = ["boot", "wait", "halt", "risBoot", "clusterAddMember"];
    const strict = new TemplateMiner();
    const loose = new TemplateMiner({ firstWordByVariety: true });
    for (const w of words) {
      strict.add(`${w} (command 2104)`);
      loose.add(`${w} (command 2104)`);
    }
    expect(strict.size).toBe(5);
    expect(texts(loose)).toEqual(["<*> (command <*>)"]);
  });

  it("valueWords and hashedValues switch their masking rules", () => {
    expect(maskMessage("session opened for root by admin").join(" ")).toBe("session opened for <*> by <*>");
    const words = { valueWords: false, hashedValues: true };
    expect(maskMessage("session opened for root by admin", words).join(" ")).toBe(
      "session opened for root by admin",
    );
    expect(maskMessage("code #011# end").join(" ")).toBe("code <*> end");
    expect(maskMessage("code #011# end", { valueWords: true, hashedValues: false }).join(" ")).toBe(
      "code #<*># end",
    );
    const miner = new TemplateMiner({ valueWords: false });
    miner.add("login as root ok");
    expect(texts(miner)).toEqual(["login as root ok"]);
  });
});
