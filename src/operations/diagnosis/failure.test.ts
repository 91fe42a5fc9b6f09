import { describe, expect, it } from "vitest";
import type { StepFailure } from "../engine/model.ts";
import { parseOperation } from "../loader/index.ts";
import { locateFailure, type RunFacts } from "./failure.ts";

const operation = parseOperation(
  `opsdojo: operation/v1
name: roll
targets: [{ name: app-1 }]
steps:
  - name: write
    uses: file.write
    with: { path: /srv/app.conf, content: "x" }
`,
  "roll.yaml",
);

const facts: RunFacts = {
  runId: "run_1",
  operation,
  params: {},
  records: [],
};

const failure = (over: Partial<StepFailure>): StepFailure => ({
  target: "app-1",
  step: "write",
  kind: "action",
  phase: "act",
  message: "reworded in a later version",
  ...over,
});

describe("locating a failure", () => {
  it("takes where it failed from the failure's phase, not from its wording or the events", () => {
    expect(locateFailure(facts, failure({ kind: "check", phase: "pre" })).point.phase).toBe("pre");
    expect(locateFailure(facts, failure({ kind: "check", phase: "post" })).point.phase).toBe("post");
    expect(locateFailure(facts, failure({ kind: "input", phase: "prepare" })).point.phase).toBe("action");
    expect(
      locateFailure(facts, failure({ step: "steady_state", kind: "check", phase: "steady_state_after" }))
        .point.phase,
    ).toBe("steady_state_after");
  });

  it("carries the kind and codes to the diagnosis, and the action's subject", () => {
    const { point } = locateFailure(facts, failure({ code: "action_failed", cause: "EACCES" }));
    expect(point).toMatchObject({
      phase: "action",
      action: "file.write",
      kind: "action",
      code: "action_failed",
      cause: "EACCES",
      reason: "reworded in a later version",
      subject: { kind: "file", path: "/srv/app.conf", from: "action" },
    });
  });
});
