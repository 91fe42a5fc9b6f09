import { describe, expect, it } from "vitest";
import { until } from "./until.ts";

describe("until", () => {
  it("asks again until the probe gives a value, and resolves to it", async () => {
    let calls = 0;
    const value = await until(async () => (++calls === 3 ? { calls } : undefined), "the third call", {
      intervalMs: 0,
    });
    expect(value).toEqual({ calls: 3 });
  });

  it("takes false as not yet, and any other value (0, empty string) as there", async () => {
    const answers = [false, undefined, 0];
    expect(await until(() => answers.shift(), "zero", { intervalMs: 0 })).toBe(0);
    expect(await until(() => "", "empty")).toBe("");
  });

  it("gives up past its deadline, saying what never happened", async () => {
    let calls = 0;
    await expect(
      until(
        () => {
          calls++;
          return false;
        },
        "the moon to turn blue",
        { timeoutMs: 0, intervalMs: 0 },
      ),
    ).rejects.toThrow("gave up waiting for the moon to turn blue");
    // However short the deadline, the condition is looked at before giving up.
    expect(calls).toBeGreaterThanOrEqual(1);
  });
});
