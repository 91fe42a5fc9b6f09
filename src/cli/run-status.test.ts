import { describe, expect, it } from "vitest";
import { styleFor } from "./output.ts";
import { runStatusText, targetStatusText } from "./run-status.ts";

const plain = styleFor(false);
const coloured = styleFor(true);

describe("rolled_back told apart", () => {
  it("says whether a run failed and was rolled back or was undone on request", () => {
    expect(runStatusText("rolled_back", true, plain)).toBe("rolled_back (failed, every change undone)");
    expect(runStatusText("rolled_back", false, plain)).toBe("rolled_back (undone on request)");
    expect(runStatusText("succeeded", false, plain)).toBe("succeeded");
  });

  it("says whether a target failed itself or was undone with the run", () => {
    expect(targetStatusText("rolled_back", true, plain)).toBe("rolled_back (failed here)");
    expect(targetStatusText("rolled_back", false, plain)).toBe("rolled_back (undone with the run)");
  });

  it("gives each its own colour", () => {
    const shown = new Set(
      [
        runStatusText("rolled_back", true, coloured),
        runStatusText("rolled_back", false, coloured),
        targetStatusText("rolled_back", true, coloured),
        targetStatusText("rolled_back", false, coloured),
      ].map((t) => t.slice(0, t.indexOf("r"))),
    );
    expect(shown.size).toBe(4);
  });
});
