// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { ACTIONS } from "../actions/index.ts";
import { registerOperation } from "../catalogue.ts";
import { irreversibleSteps } from "../engine/index.ts";
import type { Operation } from "../model/index.ts";
import { RunExecutor } from "./executor.ts";
import { OperationsApi } from "./operations-api.ts";
import { registerOperationsRoutes } from "./routes.ts";
import { RunBus } from "./run-bus.ts";
import { RunsApi } from "./runs-api.ts";

const text = (name: string, extra = "") => `opsdojo: operation/v1
name: ${name}
params:
  release: { type: string, required: true }
steps:
  - name: write
    uses: file.write
    with: { path: "/tmp/opsdojo-runs-api-\${params.release}", content: x }
${extra}`;

const open: { app: ApiApp; store: Store }[] = [];
afterEach(async () => {
  for (const { app, store } of open.splice(0)) {
    await app.close();
    await store.close();
  }
});
afterAll(removeTempDirs);

/**
 * The operations unit on a real core and SQLite store, its classifier counted. The executor is
 * never started: runs stay queued, which is all `POST /api/runs` itself does.
 */
async function node(store?: Store) {
  const own = store ?? (await openStore({ home: await tempDir() }));
  const app = await createApiCore({ store: own, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  const classified: string[] = [];
  const classify = (op: Operation) => {
    classified.push(op.name);
    return irreversibleSteps(op);
  };
  const operations = new OperationsApi(app.core, { classify });
  const runs = new RunsApi(app.core, operations);
  const bus = new RunBus();
  registerOperationsRoutes(app, {
    operations,
    runs,
    bus,
    executor: new RunExecutor(own, app.core.clock, bus),
  });
  await app.ready();
  if (!store) open.push({ app, store: own });
  const { token } = await app.core.tokens.create({ name: "t", scopes: ["read", "write", "execute"] });
  const post = async (url: string, payload: Record<string, unknown>) => {
    const reply = await app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
    return { status: reply.statusCode, body: reply.json() as Record<string, unknown> };
  };
  return { app, store: own, classified, post };
}

describe("POST /api/runs and the planner", () => {
  it("classifies an operation when it is registered; starting runs of it does not run the planner", async () => {
    const { classified, post } = await node();
    // Below the injected classifier, the planner itself: every classification asks the step's
    // action model for its effects. Counted on the real file.write model, put back after.
    const model = ACTIONS.models.get("file.write") as { effects: (input: unknown) => unknown };
    const effects = model.effects;
    let planned = 0;
    model.effects = (input) => {
      planned++;
      return effects.call(model, input);
    };
    try {
      const registered = await post("/api/operations", { source: text("deploy") });
      expect(registered.status).toBe(201);
      expect(classified).toEqual(["deploy"]);
      const atRegistration = planned;
      expect(atRegistration).toBeGreaterThan(0);
      // The same text again is the same version: nothing to classify.
      expect((await post("/api/operations", { source: text("deploy") })).status).toBe(200);
      for (const ref of ["deploy", registered.body.id as string, "deploy"]) {
        const started = await post("/api/runs", { operation: ref, params: { release: "1" } });
        expect(started.status).toBe(201);
        expect(started.body).toMatchObject({
          status: "queued",
          targets: [{ name: "local", status: "not_run" }],
        });
      }
      expect(classified).toEqual(["deploy"]);
      expect(planned).toBe(atRegistration);
    } finally {
      model.effects = effects;
    }
  });

  it("still refuses a step nothing can undo from the cached classification", async () => {
    const { classified, post } = await node();
    const oneWay = '  - name: restart\n    uses: shell.run\n    with: { command: "true" }\n';
    expect((await post("/api/operations", { source: text("oneway", oneWay) })).status).toBe(201);
    const refused = await post("/api/runs", { operation: "oneway", params: { release: "1" } });
    expect(refused.status).toBe(409);
    expect(String(refused.body.detail)).toContain("steps restart cannot be undone");
    const allowed = await post("/api/runs", {
      operation: "oneway",
      params: { release: "1" },
      allow_irreversible: true,
    });
    expect(allowed.status).toBe(201);
    expect(classified).toEqual(["oneway"]);
  });

  it("classifies a version registered elsewhere (another node, before a restart) on its first run here, once", async () => {
    const first = await node();
    await registerOperation(first.store, first.app.core.clock, text("legacy"), "legacy.yaml");
    const other = await node(first.store);
    try {
      expect(other.classified).toEqual([]);
      for (let i = 0; i < 3; i++)
        expect(
          (await other.post("/api/runs", { operation: "legacy", params: { release: `${i}` } })).status,
        ).toBe(201);
      expect(other.classified).toEqual(["legacy"]);
      expect(first.classified).toEqual([]);
    } finally {
      await other.app.close();
    }
  });
});
