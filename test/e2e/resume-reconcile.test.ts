import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamodbClient } from "../../src/operations/providers/dynamodb/client.ts";
import { freshTable, makeKeyTable } from "../../src/operations/providers/dynamodb/dynamodb-test-support.ts";
import { type AwsServices, startAwsServices } from "../support/aws.ts";
import { BIN, cleanEnv, opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// `runs resume` after kill -9 in the middle of a step: the step's act (a PutItem) is held by a
// proxy in front of dynalite until the test kills the real `opsdojo` process, so the run dies
// with exactly that step in flight, whatever the machine's speed. Then someone changes the item
// by hand (or not), and the resume must reconcile before acting: never clobber their change.

/** A loopback proxy to dynalite that, while armed, holds every PutItem and never answers it. */
class HoldingProxy {
  armed = false;
  readonly held: ServerResponse[] = [];
  #server: Server | undefined;
  url = "";

  async start(target: string): Promise<void> {
    const to = new URL(target);
    this.#server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (this.armed && req.headers["x-amz-target"] === "DynamoDB_20120810.PutItem") {
        this.held.push(res);
        return;
      }
      const out = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on("error", () => res.destroy());
      req.pipe(out);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Let everything through again; the held requests' client is dead, so they are dropped. */
  release(): void {
    this.armed = false;
    for (const res of this.held.splice(0)) res.destroy();
  }

  async stop(): Promise<void> {
    this.release();
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

let aws: AwsServices;
let server: Started | undefined;
const proxy = new HoldingProxy();
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  aws = await startAwsServices();
  for (const [k, v] of Object.entries(aws.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  await proxy.start(aws.dynamodbEndpoint);
});
afterAll(async () => {
  await server?.stop();
  await proxy.stop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await aws.stop();
  await removeTempDirs();
});

const env = () => ({ ...aws.env, AWS_ENDPOINT_URL_DYNAMODB: proxy.url });
const cli = (dir: string, args: string[]) => opsdojo(dir, args, env());

const putItem = (table: string, item: Record<string, { S: string } | { N: string }>) =>
  dynamodbClient().send(new PutItemCommand({ TableName: table, Item: item }));

async function itemOf(table: string) {
  const out = await dynamodbClient().send(
    new GetItemCommand({ TableName: table, Key: { id: { S: "flag" } }, ConsistentRead: true }),
  );
  return out.Item;
}

interface Event {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

async function eventsOf(dir: string, id: string): Promise<Event[]> {
  const out = await cli(dir, ["runs", "events", id, "--json"]);
  return (JSON.parse(out.stdout) as { items: Event[] }).items;
}

/**
 * A table holding `{id: flag, n: 1}`; a run of one step that puts `{id: flag, n: 2}`, killed
 * with SIGKILL while its PutItem is held. Returns the run's id, its `interrupted` status checked.
 */
async function killedInFlight(): Promise<{ dir: string; table: string; id: string }> {
  const dir = await tempDir();
  const table = freshTable("resume");
  await makeKeyTable(table);
  await putItem(table, { id: { S: "flag" }, n: { N: "1" } });
  const file = join(dir, "flip.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: flip
steps:
  - name: flip
    uses: dynamodb.put_item
    with: { table: ${table}, item: { id: flag, n: 2 } }
`,
  );
  proxy.armed = true;
  const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(dir, env()), stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await until(async () => proxy.held.length > 0, "the step's PutItem to reach the proxy");
  child.kill("SIGKILL");
  await exited;
  proxy.release();
  const list = await cli(dir, ["runs", "list", "--json"]);
  const run = (JSON.parse(list.stdout) as { items: { id: string; status: string }[] }).items[0];
  expect(run?.status).toBe("interrupted");
  // The act never reached the table.
  expect(await itemOf(table)).toEqual({ id: { S: "flag" }, n: { N: "1" } });
  return { dir, table, id: run?.id as string };
}

const THEIRS = { id: { S: "flag" }, n: { N: "7" }, by: { S: "the players" } };

describe("runs resume after kill -9 with a step in flight", () => {
  it("now = pre: the step runs again, no conflict", async () => {
    const { dir, table, id } = await killedInFlight();
    const resumed = await cli(dir, ["runs", "resume", id, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded" });
    expect(await itemOf(table)).toEqual({ id: { S: "flag" }, n: { N: "2" } });
    expect((await eventsOf(dir, id)).filter((e) => e.type === "step.conflict")).toEqual([]);
  });

  it("now = as the step leaves it: finished without undoing, no conflict; undo still goes back to the start", async () => {
    const { dir, table, id } = await killedInFlight();
    await putItem(table, { id: { S: "flag" }, n: { N: "2" } });
    const resumed = await cli(dir, ["runs", "resume", id, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded" });
    const events = await eventsOf(dir, id);
    expect(events.filter((e) => e.type === "step.conflict")).toEqual([]);
    expect(events.filter((e) => e.type === "step.undone")).toEqual([]);
    expect((await cli(dir, ["runs", "undo", id])).code).toBe(0);
    expect(await itemOf(table)).toEqual({ id: { S: "flag" }, n: { N: "1" } });
  });

  it("a hand-made change: refused by default (untouched, still interrupted), then --on-conflict restore keeps it aside and runs the step", async () => {
    const { dir, table, id } = await killedInFlight();
    await putItem(table, THEIRS);
    const refused = await cli(dir, ["runs", "resume", id, "--json"]);
    expect(refused.code).not.toBe(0);
    const outcome = JSON.parse(refused.stdout) as {
      status: string;
      unrestored: {
        step: string;
        reason: string;
        conflicts: { resource: string; pre: string; now: string }[];
      }[];
    };
    expect(outcome.status).toBe("interrupted");
    expect(outcome.unrestored[0]?.reason).toContain("--on-conflict restore");
    expect(outcome.unrestored[0]?.conflicts).toEqual([
      expect.objectContaining({
        resource: expect.stringContaining(table),
        now: expect.stringContaining("the players"),
      }),
    ]);
    expect(await itemOf(table)).toEqual(THEIRS);

    const restored = await cli(dir, ["runs", "resume", id, "--on-conflict", "restore", "--json"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ status: "succeeded" });
    expect(await itemOf(table)).toEqual({ id: { S: "flag" }, n: { N: "2" } });
    const kept = (await eventsOf(dir, id)).filter((e) => e.type === "step.kept_aside").map((e) => e.data);
    expect(kept).toEqual([
      expect.objectContaining({ kept_at: expect.stringMatching(/^blob:[0-9a-f]{64}$/) }),
    ]);
    // The whole run still undoes to the very first state.
    expect((await cli(dir, ["runs", "undo", id])).code).toBe(0);
    expect(await itemOf(table)).toEqual({ id: { S: "flag" }, n: { N: "1" } });
  });

  it("a hand-made change with --on-conflict keep: left as they made it, the step marked kept and never undone", async () => {
    const { dir, table, id } = await killedInFlight();
    await putItem(table, THEIRS);
    const kept = await cli(dir, ["runs", "resume", id, "--on-conflict", "keep", "--json"]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ status: "succeeded" });
    expect(await itemOf(table)).toEqual(THEIRS);
    expect((await eventsOf(dir, id)).filter((e) => e.type === "step.kept")).toHaveLength(1);
    expect((await cli(dir, ["runs", "undo", id])).code).toBe(0);
    expect(await itemOf(table)).toEqual(THEIRS);
  });

  it("a server resumes with the policy the CLI sends", async () => {
    const { dir, table, id } = await killedInFlight();
    await putItem(table, THEIRS);
    server = await startServe(dir, ["--services", "operations"], env());
    const remote = { ...env(), OPSDOJO_URL: server.info.url, OPSDOJO_TOKEN: server.info.token };
    const elsewhere = await tempDir();
    const kept = await opsdojo(elsewhere, ["runs", "resume", id, "--on-conflict", "keep", "--json"], remote);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ status: "succeeded" });
    expect(await itemOf(table)).toEqual(THEIRS);
    await server.stop();
    server = undefined;
  });

  it("refuses an unknown policy as a usage error", async () => {
    const dir = await tempDir();
    const out = await cli(dir, ["runs", "resume", "run_x", "--on-conflict", "overwrite"]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain("--on-conflict takes refuse, restore, keep");
    expect(out.stderr).toContain("opsdojo runs resume");
  });
});
