import type { TestProject } from "vitest/node";
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
 */
export async function setup(project: TestProject): Promise<void> {
  cluster = await startPostgres();
  project.provide("postgresUrl", cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
}
