import type { TestProject } from "vitest/node";
import { buildCliBundle } from "./cli-bundle.ts";
import { type PostgresCluster, startPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the shared test database; `freshPostgresUrl()` gives a test its own database instead. */
    postgresUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

/**
 * One PostgreSQL cluster for the whole run: starting one costs about a second, a database in it
 * tens of milliseconds. Without PostgreSQL this throws, so the run fails instead of skipping.
 * Meanwhile the CLI is bundled, so every `opsdojo` a test spawns starts from dist/cli.mjs.
 */
export async function setup(project: TestProject): Promise<void> {
  const [pg, bundle] = await Promise.allSettled([startPostgres(), buildCliBundle()]);
  if (pg.status === "fulfilled") cluster = pg.value;
  if (pg.status === "rejected" || bundle.status === "rejected") {
    await teardown();
    throw pg.status === "rejected" ? pg.reason : (bundle as PromiseRejectedResult).reason;
  }
  project.provide("postgresUrl", pg.value.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
}
