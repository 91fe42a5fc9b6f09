import { describe, expect, it } from "vitest";
import { readEvents, sentence } from "./run-events.ts";

let seq = 0;
const ev = (type: string, data: Record<string, unknown> = {}) => ({
  run_id: "run_1",
  seq: ++seq,
  at: "2026-05-01T10:00:00.000Z",
  type,
  data,
});

describe("a run's events in words", () => {
  it("says what each event means, naming the step a transition gives only by index", () => {
    const read = readEvents([
      ev("run.started"),
      ev("batch.started", { targets: ["app-1", "app-2"] }),
      ev("step.started", { target: "app-1", step: "write-config", action: "file.write" }),
      ev("step.observed", {
        target: "app-1",
        step_index: 0,
        phase: "post",
        states: { "file /srv/app.conf": { type: "file", size: 10, sha256: "215281691a508f42a5" } },
      }),
      ev("step.succeeded", { target: "app-1", step_index: 0 }),
      ev("step.started", { target: "app-1", step: "verify", action: "noop" }),
      ev("check.failed", {
        target: "app-1",
        step: "verify",
        phase: "post",
        check: "http",
        expected: "HTTP 200",
        observed: "connection refused",
      }),
      ev("step.failed", { target: "app-1", step_index: 1, error: "post-condition http failed" }),
      ev("step.undo_started", { target: "app-1", step_index: 0 }),
      ev("step.undone", { target: "app-1", step_index: 0, reason: "already_restored" }),
      ev("run.rolled_back", { failed_targets: 1 }),
    ] as never);
    expect(read.rows.map((r) => r.text)).toEqual([
      "started",
      "batch started: app-1, app-2",
      "app-1: write-config started (file.write)",
      "app-1: after write-config: file /srv/app.conf file, 10 bytes, sha256 215281691a50…",
      "app-1: write-config done",
      "app-1: verify started (noop)",
      "app-1: post-check http of verify failed: expected HTTP 200, observed connection refused",
      "app-1: verify failed: post-condition http failed",
      "app-1: undoing write-config",
      "app-1: write-config undone (it was already as before)",
      "rolled back · failed_targets: 1",
    ]);
    expect(read.changes).toEqual([
      {
        target: "app-1",
        step: "write-config",
        action: "file.write",
        outcome: "undone",
        resources: ["file /srv/app.conf"],
      },
      { target: "app-1", step: "verify", action: "noop", outcome: "failed", resources: [] },
    ]);
  });

  it("tells a step stopped part way from one that failed cleanly", () => {
    const read = readEvents([
      ev("step.started", { target: "db", step: "migrate", action: "shell.run" }),
      ev("step.failed", { target: "db", step_index: 3, error: "timed out", outcome: "unknown" }),
    ] as never);
    expect(read.changes).toEqual([
      { target: "db", step: "migrate", action: "shell.run", outcome: "unknown", resources: [] },
    ]);
    expect(sentence("step.failed", { target: "db", error: "x", outcome: "unknown" }, "migrate")).toContain(
      "what it changed is not known",
    );
  });
});
