import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../core/index.ts";
import { defaultMiningLimits, LIMIT_SETTINGS, resolveMiningLimits } from "./limits.ts";

describe("mining limits", () => {
  it("takes defaults, then OPSDOJO_MINING_*, then given options", () => {
    const limits = resolveMiningLimits(
      { maxTemplates: 7 },
      { OPSDOJO_MINING_MAX_ACTIVITIES: "300", OPSDOJO_MINING_MAX_TEMPLATES: "9", OPSDOJO_MINING_QUEUE: "0" },
    );
    expect(limits).toEqual({ ...defaultMiningLimits(), maxActivities: 300, maxTemplates: 7, queue: 0 });
  });

  it("always has at least one worker", () => {
    expect(defaultMiningLimits(1).workers).toBe(1);
    expect(defaultMiningLimits(8).workers).toBe(7);
  });

  it("refuses a value that is not a whole number, naming the variable", () => {
    for (const bad of ["ten", "-1", "1.5", "0"]) {
      const error = (() => {
        try {
          resolveMiningLimits({}, { OPSDOJO_MINING_MAX_EVENTS: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`OPSDOJO_MINING_MAX_EVENTS="${bad}"`);
    }
    expect(() => resolveMiningLimits({ workers: 0 })).toThrow(/mining option workers/);
  });

  it("names an environment variable for every setting, one each", () => {
    const names = Object.values(LIMIT_SETTINGS).map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(LIMIT_SETTINGS).sort()).toEqual(Object.keys(defaultMiningLimits()).sort());
  });

  it("are all in the table of docs/mining.md, with their variable", () => {
    const docs = readFileSync(new URL("../../../docs/mining.md", import.meta.url), "utf8");
    for (const [name, { env }] of Object.entries(LIMIT_SETTINGS))
      expect(docs, name).toMatch(new RegExp(`^\\| \`${name}\` \\| [^|]+ \\| \`${env}\` \\|`, "m"));
  });
});
