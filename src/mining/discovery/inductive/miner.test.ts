import { describe, expect, it } from "vitest";
import { logFromTraces, readEventLog } from "../../eventlog/index.ts";
import { sharedEventLog } from "../../eventlog/test-data.ts";
import { acceptsTrace, compileNet } from "../../petri/index.ts";
import { treeToString } from "../process-tree.ts";
import { treeToNet } from "../tree-to-net.ts";
import { inductiveMiner } from "./miner.ts";

const t = (s: string) => s.split(" ").filter((x) => x !== "");

/** Mine, and check that the net accepts every trace of the log and rejects the given others. */
function mine(traces: string[], rejected: string[] = [], noise = 0) {
  const log = logFromTraces(traces.map(t));
  const tree = inductiveMiner(log, { noise });
  const net = compileNet(treeToNet(tree));
  for (const trace of traces) expect(acceptsTrace(net, t(trace)), `accepts "${trace}"`).toBe(true);
  for (const trace of rejected) expect(acceptsTrace(net, t(trace)), `rejects "${trace}"`).toBe(false);
  return treeToString(tree);
}

describe("inductiveMiner", () => {
  it("finds a sequence", () => {
    expect(mine(["a b c"], ["a c", "b a c", "a b c c"])).toBe("->( 'a', 'b', 'c' )");
  });

  it("finds an exclusive choice", () => {
    expect(mine(["a b d", "a c d"], ["a b c d", "a d"])).toBe("->( 'a', X( 'b', 'c' ), 'd' )");
  });

  it("finds parallel activities", () => {
    expect(mine(["a b c d", "a c b d"], ["a b d", "a b b c d"])).toBe("->( 'a', +( 'b', 'c' ), 'd' )");
  });

  it("finds a loop with its redo part", () => {
    expect(mine(["a b c", "a b d b c", "a b d b d b c"], ["a b d c", "a d b c"])).toBe(
      "->( 'a', *( 'b', 'd' ), 'c' )",
    );
  });

  it("makes an optional activity a choice with τ, and the empty trace too", () => {
    expect(mine(["a b", "a", ""], ["b", "a b b"])).toBe("X( tau, ->( 'a', X( tau, 'b' ) ) )");
  });

  it("skips a run of optional activities as one (strict sequence cut), not each on its own", () => {
    // The plain sequence cut gives ->( 'a', X( tau, 'b' ), X( tau, 'c' ), X( tau, 'd' ) ), which
    // accepts "a c" and "a b d" although b, c and d only ever occur together.
    expect(mine(["a b c d", "a"], ["a c", "a b d", "a d"])).toBe("->( 'a', X( tau, ->( 'b', 'c', 'd' ) ) )");
    // A skippable group in the middle takes along only what is skipped with it.
    expect(mine(["a b c d e", "a d e", "a b c d"], ["a b d e", "a c d"])).toBe(
      "->( 'a', X( tau, ->( 'b', 'c' ) ), 'd', X( tau, 'e' ) )",
    );
  });

  it("repeats a lone activity with a τ loop", () => {
    expect(mine(["a", "a a a"], [""])).toBe("*( 'a', tau )");
  });

  it("falls through to a flower model when nothing else fits, still accepting every trace", () => {
    const tree = mine(["a b c", "c a b", "b c a", "a c b a"]);
    expect(tree.startsWith("*(") || tree.startsWith("+(")).toBe(true);
  });

  it("with a noise threshold, leaves out rare behaviour (IMf)", () => {
    const skipped = logFromTraces([...Array(20).fill("a b"), ""].map(t));
    expect(treeToString(inductiveMiner(skipped))).toBe("X( tau, ->( 'a', 'b' ) )");
    expect(treeToString(inductiveMiner(skipped, { noise: 0.2 }))).toBe("->( 'a', 'b' )");
    const repeated = logFromTraces([...Array(20).fill("a"), "a a"].map(t));
    expect(treeToString(inductiveMiner(repeated))).toBe("*( 'a', tau )");
    expect(treeToString(inductiveMiner(repeated, { noise: 0.2 }))).toBe("'a'");
    expect(() => inductiveMiner(skipped, { noise: 1 })).toThrow(RangeError);
  });

  it("mines the textbook model from the running example, and its net accepts all 6 cases", async () => {
    const log = await readEventLog(sharedEventLog("running-example.xes.gz"));
    const tree = inductiveMiner(log);
    expect(treeToString(tree)).toBe(
      "->( 'register request', *( ->( +( X( 'examine casually', 'examine thoroughly' ), 'check ticket' ), 'decide' ), 'reinitiate request' ), X( 'pay compensation', 'reject request' ) )",
    );
    const net = compileNet(treeToNet(tree));
    for (const c of log.cases)
      expect(
        acceptsTrace(
          net,
          c.events.map((e) => e.activity),
        ),
      ).toBe(true);
    expect(acceptsTrace(net, ["register request", "decide", "pay compensation"])).toBe(false);
  });
});
