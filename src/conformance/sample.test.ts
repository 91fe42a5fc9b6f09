import { describe, expect, it } from "vitest";
import { validSample } from "./sample.ts";

/** Like opsdojo's ServiceCreate: optional fields whose valid values depend on each other. */
const SCHEMA = {
  type: "object",
  required: ["name", "owner"],
  properties: {
    name: { type: "string", pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", maxLength: 63 },
    owner: { type: "string", minLength: 1, maxLength: 100 },
    versions: {
      type: "array",
      items: {
        type: "object",
        required: ["version", "status"],
        properties: {
          version: { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" },
          deprecated_at: { type: "string", format: "date-time" },
          sunset_at: { type: "string", format: "date-time" },
        },
      },
    },
    health_url: { type: "string", pattern: "^(https?://|/)" },
  },
  additionalProperties: false,
};

describe("validSample", () => {
  it("with requiredOnly gives the required fields only, meeting their patterns, for any seed", () => {
    for (let seed = 0; seed < 50; seed++) {
      const body = validSample(SCHEMA, seed, true) as Record<string, unknown>;
      expect(Object.keys(body).sort(), `seed ${seed}`).toEqual(["name", "owner"]);
      expect(body.name, `seed ${seed}`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(String(body.name).startsWith("conform-"), `seed ${seed}`).toBe(true);
      expect(String(body.owner).length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it("without it may fill optional fields too", () => {
    const keys = new Set<string>();
    for (let seed = 0; seed < 50; seed++)
      for (const k of Object.keys(validSample(SCHEMA, seed) as object)) keys.add(k);
    expect(keys).toContain("versions");
  });
});
