import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { Journal, RunNotFoundError } from "../journal/index.ts";
import { SecretRequiredError, secretMarker } from "../secrets/index.ts";
import { loadRunInput } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const TEXT = `opsdojo: operation/v1
name: deploy
params:
  release: { type: string, required: true }
  token: { type: string, secret: true, required: true }
steps:
  - name: write
    uses: file.write
    with: { path: /tmp/opsdojo-load-input, content: x }
`;

/** A stored run of `deploy` whose token the journal kept only as «secret:token». */
async function storedRun() {
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const clock = new ManualClock("2026-06-01T08:00:00Z");
  const registered = await registerOperation(store, clock, TEXT, "deploy.yaml");
  // What the engine's redaction leaves in the store for a secret.
  const runId = await new Journal(store, clock).startRun({
    operationId: registered.id,
    operationName: "deploy",
    params: { release: "1.2", token: secretMarker("token") },
    owner: "test",
    leaseMs: 60_000,
  });
  return { store, runId, registered };
}

describe("loadRunInput", () => {
  it("gives the operation the run used and its params, the secret given again", async () => {
    const { store, runId, registered } = await storedRun();
    const input = await loadRunInput(store, runId, { secrets: { token: "t0k" } });
    expect(input.operation.name).toBe("deploy");
    expect(input.params).toEqual({ release: "1.2", token: "t0k" });
    expect(input.registered).toMatchObject({ id: registered.id, version: 1 });
  });

  it("refuses a run whose secret is not given again, saying how to pass it (CLI or API)", async () => {
    const { store, runId } = await storedRun();
    const cli = await loadRunInput(store, runId).catch((e: unknown) => e);
    expect(cli).toBeInstanceOf(SecretRequiredError);
    expect((cli as Error).message).toContain("--param token=…");
    const api = await loadRunInput(store, runId, { how: "api" }).catch((e: unknown) => e);
    expect((api as Error).message).toContain('{"params": {"token": "…"}}');
  });

  it("names a run that does not exist", async () => {
    const { store } = await storedRun();
    await expect(loadRunInput(store, "run_nope")).rejects.toBeInstanceOf(RunNotFoundError);
  });
});
