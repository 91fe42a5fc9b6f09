import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { parsePlanTime } from "./plan-time.ts";

const cmd = "opsdojo gameday plan";

describe("--at of gameday plan", () => {
  it("reads a local wall-clock time in this machine's zone", () => {
    expect(parsePlanTime("2026-12-10 14:00", cmd)).toBe(new Date(2026, 11, 10, 14, 0).toISOString());
    expect(parsePlanTime("2026-12-10T09:30:15", cmd)).toBe(new Date(2026, 11, 10, 9, 30, 15).toISOString());
  });

  it("takes an instant with an offset as it is", () => {
    expect(parsePlanTime("2026-12-10T14:00:00+01:00", cmd)).toBe("2026-12-10T13:00:00.000Z");
    expect(parsePlanTime("2026-12-10 14:00Z", cmd)).toBe("2026-12-10T14:00:00.000Z");
  });

  it("names the accepted formats for anything else, impossible days included", () => {
    for (const bad of [
      "tomorrow 2pm",
      "10.12.2026 14:00",
      "2026-02-31 10:00",
      "2026-12-10 25:00",
      "2026-12-10",
    ]) {
      const error = (() => {
        try {
          parsePlanTime(bad, cmd);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect(String((error as Error).message)).toContain('use "YYYY-MM-DD HH:MM"');
    }
  });
});
