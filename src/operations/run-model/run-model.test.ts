import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { runOperation } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import {
  historyProfile,
  loadRunHistory,
  MIN_HISTORY,
  mineRunModel,
  NoRunHistoryError,
  RUN_DEVIATION_EVENT,
} from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/** drain → deploy (takes `deploy` of virtual time) → verify; `flaky` fails its first `fails` attempts. */
function source(dir: string, options: { drain?: boolean; deploy?: string; fails?: number } = {}) {
  const fails = options.fails ?? 0;
  const drain = options.drain === false ? "" : `  - name: drain\n    uses: noop\n    with: { sleep: 1s }\n`;
  return `opsdojo: operation/v1
name: release-web
targets:
  - { name: web-1 }
steps:
${drain}  - name: deploy
    uses: noop
    with: { sleep: ${options.deploy ?? "2s"} }
  - name: verify
    uses: shell.run
    with: { command: "n=$(cat '${dir}/count' 2>/dev/null || echo 0); echo $((n+1)) > '${dir}/count'; test $n -ge ${fails}" }
    retries: { count: 3 }
`;
}

type Open = () => Promise<Store>;

async function setup(open: Open) {
  const store = await open();
  stores.push(store);
  const clock = new ManualClock("2026-05-01T10:00:00Z");
  // Waits move virtual time: journalled durations are exactly the sleeps.
  const options = {
    store,
    clock,
    leaseMs: 60_000,
    sleep: async (ms: number) => clock.advance(ms),
  };
  const run = async (text: string) => {
    const dir = await tempDir();
    const registered = await registerOperation(store, clock, text.replaceAll("@DIR@", dir), "release.yaml");
    clock.advance(60_000);
    return runOperation({ operation: registered.operation, operationId: registered.id, params: {} }, options);
  };
  return { store, clock, run };
}

/** `source` with its `@DIR@` placeholder left for `run` to fill with a fresh directory. */
const op = (o: Parameters<typeof source>[1] = {}) => source("@DIR@", o);

async function deviations(store: Store, clock: ManualClock, runId: string) {
  const events = await new Journal(store, clock).events(runId, 0, 1000);
  return events.filter((e) => e.type === RUN_DEVIATION_EVENT).map((e) => e.data);
}

describe.each<[string, Open]>([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("runs as a process on %s", (_name, open) => {
  it("mines completed runs into a model whose activities are step outcomes", async () => {
    const { store, run } = await setup(open);
    await expect(async () => mineRunModel(await loadRunHistory(store, "release-web"))).rejects.toThrow(
      NoRunHistoryError,
    );
    for (let i = 0; i < 3; i++) expect((await run(op({ fails: i === 1 ? 1 : 0 }))).status).toBe("succeeded");
    const history = await loadRunHistory(store, "release-web");
    expect(history.runs).toBe(3);
    const { model, log } = mineRunModel(history);
    expect(log.cases).toHaveLength(3);
    expect(log.cases[1]?.events.map((e) => e.activity)).toEqual([
      "drain:done",
      "deploy:done",
      "verify:retried",
      "verify:done",
    ]);
    expect(model.dfg.activities.map((a) => a.name).sort()).toEqual([
      "deploy:done",
      "drain:done",
      "verify:done",
      "verify:retried",
    ]);
    const profile = historyProfile(history);
    expect(profile.steps.find((s) => s.step === "verify")).toMatchObject({ maxRetries: 1, done: 3 });
    expect(profile.steps.find((s) => s.step === "deploy")?.alwaysAfter).toEqual(["drain"]);
  });

  it(`checks a run live only with ${MIN_HISTORY} completed runs: skipped, retried more, slower than 2 × P99 + 1 s`, async () => {
    const bad = op({ drain: false, deploy: "9s", fails: 2 });
    // Too little history: the same deviating run is not judged.
    const few = await setup(open);
    for (let i = 0; i < MIN_HISTORY - 1; i++) expect((await few.run(op())).status).toBe("succeeded");
    const early = await few.run(bad);
    expect(early.status).toBe("succeeded");
    expect(await deviations(few.store, few.clock, early.id)).toEqual([]);

    const { store, clock, run } = await setup(open);
    for (let i = 0; i < MIN_HISTORY; i++) expect((await run(op())).status).toBe("succeeded");
    const healthy = await run(op());
    expect(await deviations(store, clock, healthy.id)).toEqual([]);
    const late = await run(bad);
    expect(late.status).toBe("succeeded");
    const found = await deviations(store, clock, late.id);
    expect(found.map((d) => `${d.kind} ${d.step}`)).toEqual([
      "skipped drain",
      "slow deploy",
      "retried verify",
    ]);
    expect(found[0]).toMatchObject({ target: "web-1", seen: "deploy", bound: "drain" });
    expect(found[1]).toMatchObject({ target: "web-1", seen: 9000, bound: 5000 });
    expect(found[2]).toMatchObject({ target: "web-1", seen: 1, bound: 0 });
  });
});
