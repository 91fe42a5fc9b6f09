/**
 * `node --import tsx bench/health-history.ts`: what the health history costs the poller, and that
 * its bound holds. INSTANCES instances are polled ROUNDS times: a steady poll (nothing stored),
 * and a flapping instance that changes status on every poll (a transition written and its
 * instance pruned each time). On the embedded SQLite store, or OPSDOJO_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CursorCodec } from "../src/api/index.ts";
import { ManualClock, randomSecret } from "../src/core/index.ts";
import { Directory, HISTORY_PER_INSTANCE } from "../src/directory/index.ts";
import { openStore } from "../src/store/index.ts";

const instances = Number(process.env.BENCH_INSTANCES ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 600);
const home = mkdtempSync(join(tmpdir(), "opsdojo-bench-health-"));
const store = await openStore({ home, databaseUrl: process.env.OPSDOJO_DATABASE_URL });
const clock = new ManualClock("2026-03-01T00:00:00.000Z");
const directory = new Directory({ store, clock, cursors: new CursorCodec(randomSecret(32)) });
const urls = Array.from(
  { length: instances },
  (_, i) => `http://10.0.${Math.floor(i / 250)}.${i % 250}:8080`,
);
const flapping = await directory.create({
  name: "flapping",
  owner: "bench",
  instances: urls.map((base_url) => ({ base_url })),
});
const steady = await directory.create({
  name: "steady",
  owner: "bench",
  instances: urls.map((base_url) => ({ base_url })),
});

async function pollAll(serviceId: string, status: (round: number) => "pass" | "fail"): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    const checked_at = clock.now().toISOString();
    for (const base_url of urls)
      await directory.recordHealth(serviceId, { base_url, status: status(round), detail: null, checked_at });
    clock.advance(5_000);
  }
  return ((performance.now() - started) / (rounds * urls.length)) * 1000;
}

const steadyUs = await pollAll(steady.id, () => "pass");
const flappingUs = await pollAll(flapping.id, (round) => (round % 2 ? "fail" : "pass"));
const rows = await store.db
  .selectFrom("service_health_events")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .where("service_id", "=", flapping.id)
  .executeTakeFirstOrThrow();
directory.close();
await store.close();
rmSync(home, { recursive: true, force: true });
const kept = Number(rows.n);
console.log(
  JSON.stringify({
    store: store.dialect,
    instances,
    rounds,
    steady_us_per_poll: Math.round(steadyUs),
    transition_us_per_poll: Math.round(flappingUs),
    rows_kept: kept,
    bound: instances * HISTORY_PER_INSTANCE,
  }),
);
if (kept > instances * HISTORY_PER_INSTANCE) {
  console.error(`the bound did not hold: ${kept} rows for ${instances} instances`);
  process.exitCode = 1;
}
