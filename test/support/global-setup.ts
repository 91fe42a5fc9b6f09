import { appendFileSync, readFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildCliBundle } from "./cli-bundle.ts";
import { type MotoBroker, startMotoBroker } from "./moto-broker.ts";
import { type PostgresCluster, startPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the shared test database; `freshPostgresUrl()` gives a test its own database instead. */
    postgresUrl: string;
    /** Where a test worker asks for the run's moto_server (moto-broker.ts). */
    motoBrokerUrl: string;
  }
}

let cluster: PostgresCluster | undefined;
let moto: MotoBroker | undefined;

/**
 * One PostgreSQL cluster for the whole run: starting one costs about a second, a database in it
 * tens of milliseconds. Without PostgreSQL this throws, so the run fails instead of skipping.
 * Meanwhile the CLI is bundled, so every `opsdojo` a test spawns starts from dist/cli.mjs.
 * moto_server is shared too, but started only when the first AWS test file asks (moto-broker.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  const [pg, bundle, broker] = await Promise.allSettled([
    startPostgres(),
    buildCliBundle(),
    startMotoBroker(),
  ]);
  if (pg.status === "fulfilled") cluster = pg.value;
  if (broker.status === "fulfilled") moto = broker.value;
  for (const part of [pg, bundle, broker]) {
    if (part.status === "rejected") {
      await teardown();
      throw part.reason;
    }
  }
  project.provide("postgresUrl", (pg as PromiseFulfilledResult<PostgresCluster>).value.url);
  project.provide("motoBrokerUrl", (broker as PromiseFulfilledResult<MotoBroker>).value.url);
}

export async function teardown(): Promise<void> {
  const motoCpu = moto?.motoCpuSeconds() ?? 0;
  await moto?.close();
  moto = undefined;
  await cluster?.stop();
  cluster = undefined;
  logRunCpu(motoCpu);
}

/**
 * With OPSDOJO_CPU_LOG (cpu-log.ts), what no test file is charged with: this process (vitest
 * itself: transforms, reporting) and what it started and waited for (PostgreSQL, the bundle
 * build, the shared moto_server, the latter also on a line of its own).
 */
function logRunCpu(motoCpu: number): void {
  const log = process.env.OPSDOJO_CPU_LOG;
  if (log === undefined || log === "") return;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const tick = (i: number) => Number(fields[i]) / 100;
  const self = tick(11) + tick(12);
  const children = tick(13) + tick(14);
  const lines = [
    { file: "(vitest main process and what it started)", self, children, cpu: self + children },
    { file: "(shared moto_server, included above)", self: 0, children: motoCpu, cpu: motoCpu },
  ];
  appendFileSync(log, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
}
