import { existsSync } from "node:fs";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type PostgresCluster, startPostgres } from "./postgres.ts";

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("startPostgres", () => {
  let cluster: PostgresCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it("starts a throwaway cluster on loopback with its socket in its own temp dir", async () => {
    cluster = await startPostgres({ database: "harness" });
    expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/harness$/);
    const settings = await query(
      cluster.url,
      "select current_database() as db, current_setting('listen_addresses') as listen, " +
        "current_setting('unix_socket_directories') as sockets, current_setting('fsync') as fsync",
    );
    expect(settings).toEqual([
      { db: "harness", listen: "127.0.0.1", sockets: `${cluster.dir}/sock`, fsync: "off" },
    ]);
    const url = await cluster.createDatabase("second");
    expect(await query(url, "select current_database() as db")).toEqual([{ db: "second" }]);
    await expect(cluster.createDatabase("no; drop")).rejects.toThrow(/not a plain database name/);
  });

  it("stops the server and removes its directory", async () => {
    cluster = await startPostgres();
    const { url, dir } = cluster;
    expect(existsSync(dir)).toBe(true);
    await cluster.stop();
    await cluster.stop();
    expect(existsSync(dir)).toBe(false);
    await expect(query(url, "select 1")).rejects.toThrow(/ECONNREFUSED/);
  });
});
