import { describe, expect, it } from "vitest";
import { deviationCounts } from "./model-deviations.ts";

describe("deviations drawn on a model", () => {
  it("counts where cases deviated and which steps they skipped", () => {
    const counts = deviationCounts([
      { activity: "escalate", kind: "unexpected", expected: ["fix"] },
      { activity: "close", kind: "missing", expected: ["triage", "fix"] },
      { activity: "fix", kind: "wrong-order", expected: [] },
      { activity: "escalate", kind: "unexpected", expected: ["fix"] },
    ]);
    expect([...counts.at]).toEqual([
      ["escalate", 2],
      ["fix", 1],
    ]);
    expect([...counts.skipped]).toEqual([
      ["triage", 1],
      ["fix", 1],
    ]);
  });
});
