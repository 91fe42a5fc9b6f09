import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { CursorCodec } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { Journal } from "../journal/index.ts";
import { OperationsApi } from "./operations-api.ts";
import { RunsApi } from "./runs-api.ts";

const SOURCE = `opsdojo: operation/v1
name: roll
targets: [{ name: app-1 }]
steps:
  - name: write
    uses: noop
`;

let store: Store;
let runs: RunsApi;
let journal: Journal;
let operationId: string;
const clock = new ManualClock(new Date("2026-12-01T10:00:00Z"));

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  const core = { store, clock, cursors: new CursorCodec(randomBytes(32).toString("base64url")) };
  runs = new RunsApi(core, new OperationsApi(core));
  journal = new Journal(store, clock);
  operationId = (await registerOperation(store, clock, SOURCE, "roll.yaml")).id;
});
afterAll(async () => {
  await store?.close();
  await removeTempDirs();
});

/** A run at rest whose stored result is `result`, exactly as some version of opsdojo wrote it. */
async function storedRun(result: Record<string, unknown>): Promise<string> {
  const id = await journal.startRun({
    operationId,
    operationName: "roll",
    params: {},
    owner: "test",
    leaseMs: 60_000,
  });
  await journal.setStatus(id, "rolled_back", {}, { id, ...result });
  return id;
}

describe("a run's failure over the API", () => {
  it("shows a typed failure with its kind, phase and codes, its message as reason", async () => {
    const failure = {
      target: "app-1",
      step: "write",
      kind: "locked",
      phase: "prepare",
      code: "path_locked",
      retryable: true,
      message: "/srv/app.conf is being changed by run run_1",
    };
    const id = await storedRun({
      status: "rolled_back",
      targets: [{ name: "app-1", status: "rolled_back", failure }],
      unrestored: [],
      failure,
    });
    const shown = await runs.get(id);
    const { message, ...typed } = failure;
    expect(shown.failure).toEqual({ ...typed, reason: message });
    expect(shown.targets[0]?.failure).toEqual({ ...typed, reason: message });
  });

  it("reads a row written before failures were typed (only reason): kind and phase are worked out", async () => {
    const old = {
      target: "app-1",
      step: "write",
      reason: "post-condition http http://127.0.0.1:1/ failed: expected HTTP 200, observed no response",
      check: { name: "http http://127.0.0.1:1/", ok: false, expected: "HTTP 200", observed: "no response" },
    };
    const id = await storedRun({
      status: "rolled_back",
      targets: [{ name: "app-1", status: "rolled_back", failure: old }],
      unrestored: [],
      failure: old,
    });
    const shown = await runs.get(id);
    expect(shown.failure).toEqual({ ...old, kind: "check", phase: "post" });
    expect(shown.targets[0]?.failure).toMatchObject({ kind: "check", phase: "post", reason: old.reason });
  });
});

describe("a run queued under an Idempotency-Key (issue 18)", () => {
  it("is the answer to the key again, even when the stored answer was lost with its node", async () => {
    // The API core passes the claim's key; its stored answer is what a dead node never wrote.
    const first = await runs.start({ operation: "roll" }, { requestKey: "tok_1 retry-me" });
    const again = await runs.start({ operation: "roll" }, { requestKey: "tok_1 retry-me" });
    expect(again.id).toBe(first.id);
    const other = await runs.start({ operation: "roll" }, { requestKey: "tok_2 retry-me" });
    expect(other.id).not.toBe(first.id);
    const unkeyed = await runs.start({ operation: "roll" });
    expect(unkeyed.id).not.toBe(first.id);
  });

  it("queues a new run for the key once a day has passed, as the API forgets the key", async () => {
    const first = await runs.start({ operation: "roll" }, { requestKey: "tok_1 daily" });
    clock.advance(24 * 60 * 60 * 1000 + 1);
    const later = await runs.start({ operation: "roll" }, { requestKey: "tok_1 daily" });
    expect(later.id).not.toBe(first.id);
    // And that key now finds the new run.
    expect((await runs.start({ operation: "roll" }, { requestKey: "tok_1 daily" })).id).toBe(later.id);
  });
});
