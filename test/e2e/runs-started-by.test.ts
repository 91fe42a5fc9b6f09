/**
 * Who started a run (issue 20), end to end: `run --as`, `OPSDOJO_AS` and the OS user on this
 * machine's store; over the API, the token's person (`token create --person`), else its name — a
 * queued run records the requester, not the node that executes it, and undo keeps the starter.
 * `runs list` shows it (BY, `--by`, `--json`) and `runs show` says it, locally and remotely.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const servers: Started[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await removeTempDirs();
});

/** A one-target operation that writes a file under `dir`. */
async function operationFile(dir: string): Promise<string> {
  await mkdir(join(dir, "app"), { recursive: true });
  const file = join(dir, "write.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: write-conf
targets:
  - { name: app-1, vars: { dir: "${dir}/app" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=2\\n" }
`,
  );
  return file;
}

const json = (out: { stdout: string }) => JSON.parse(out.stdout) as Json;

describe("who started a run, on this machine's store", () => {
  it("records --as, else OPSDOJO_AS, else the OS user; lists, filters and shows it", async () => {
    const home = await tempDir();
    const file = await operationFile(home);
    const byFlag = await opsdojo(home, ["run", file, "--as", "Ana", "--json"], { OPSDOJO_AS: "Bo" });
    expect(byFlag.code, byFlag.stderr).toBe(0);
    const byEnv = await opsdojo(home, ["run", file, "--json"], { OPSDOJO_AS: "Bo" });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    const byUser = await opsdojo(home, ["run", file, "--json"]);
    expect(byUser.code, byUser.stderr).toBe(0);

    const list = json(await opsdojo(home, ["runs", "list", "--json"]));
    expect(list.items.map((r: Json) => [r.id, r.started_by])).toEqual([
      [json(byUser).id, userInfo().username],
      [json(byEnv).id, "Bo"],
      [json(byFlag).id, "Ana"],
    ]);
    const ana = json(await opsdojo(home, ["runs", "list", "--by", "Ana", "--json"]));
    expect(ana.items.map((r: Json) => r.id)).toEqual([json(byFlag).id]);

    const text = await opsdojo(home, ["runs", "list"]);
    expect(text.stdout.split("\n")[0]).toMatch(/^ID\s+OPERATION\s+STATUS\s+BY\s+STARTED\s+FINISHED/);
    expect(text.stdout).toMatch(/write-conf\s+succeeded\s+Bo\s/);
    const none = await opsdojo(home, ["runs", "list", "--by", "Cy"]);
    expect(none.stdout.trim()).toBe("no run started by Cy: opsdojo runs list shows who started each");

    const show = await opsdojo(home, ["runs", "show", json(byEnv).id]);
    expect(show.stdout.split("\n")[1]).toBe("started by Bo");
    expect(json(await opsdojo(home, ["runs", "show", json(byEnv).id, "--json"])).started_by).toBe("Bo");
  });

  it("refuses an empty --as with a clear error, and --as against a server", async () => {
    const home = await tempDir();
    const file = await operationFile(home);
    const empty = await opsdojo(home, ["run", file, "--as", " "]);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain("--as must be a name of 1 to 100 characters");
    expect(empty.stderr).not.toMatch(/\n\s+at /);
    const remote = await opsdojo(home, [
      "--server",
      "127.0.0.1:9",
      "--token",
      "odj_x",
      "run",
      file,
      "--as",
      "Ana",
    ]);
    expect(remote.code).toBe(3);
    expect(remote.stderr).toContain("--as is for local runs");
  });
});

describe("who started a run, over the API", () => {
  it("records the token's person (else its name), not the node; keeps it through undo; filters on it", async () => {
    const home = await tempDir();
    const dir = await tempDir();
    const server = await startServe(home, ["--services", "operations"]);
    servers.push(server);
    const created = await opsdojo(home, [
      "token",
      "create",
      "--name",
      "ana-laptop",
      "--person",
      "Ana",
      "--scope",
      "execute",
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(json(created)).toMatchObject({ name: "ana-laptop", person: "Ana" });
    const anaToken = json(created).token as string;

    let keys = 0;
    const api = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.info.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined
            ? {}
            : { "content-type": "application/json", "idempotency-key": `k-${++keys}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const settled = (id: string) =>
      until(async () => {
        const run = (await api(server.info.token, "GET", `/api/runs/${id}`)).body;
        return ["queued", "running", "rolling_back"].includes(run.status) ? undefined : run;
      }, `run ${id} to settle`);

    const file = await operationFile(dir);
    const { readFile } = await import("node:fs/promises");
    const source = await readFile(file, "utf8");
    expect((await api(server.info.token, "POST", "/api/operations", { source })).status).toBe(201);

    const byAna = await api(anaToken, "POST", "/api/runs", { operation: "write-conf" });
    expect(byAna.status).toBe(201);
    expect(byAna.body.started_by).toBe("Ana");
    const byAdmin = await api(server.info.token, "POST", "/api/runs", { operation: "write-conf" });
    expect(byAdmin.body.started_by).toBe("admin (first start)");
    // Executed by the server's node, still Ana's.
    expect(await settled(byAna.body.id)).toMatchObject({ status: "succeeded", started_by: "Ana" });
    await settled(byAdmin.body.id);

    // Undone by someone else: the run keeps who started it.
    expect((await api(server.info.token, "POST", `/api/runs/${byAna.body.id}/undo`, {})).status).toBe(202);
    expect(await settled(byAna.body.id)).toMatchObject({ status: "rolled_back", started_by: "Ana" });

    const filtered = await api(
      anaToken,
      "GET",
      `/api/runs?filter=${encodeURIComponent('started_by = "Ana"')}`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((r: Json) => r.id)).toEqual([byAna.body.id]);

    // The CLI against the server: the same column and filter.
    const remote = ["--server", server.info.url, "--token", anaToken];
    const listed = json(await opsdojo(home, [...remote, "runs", "list", "--by", "Ana", "--json"]));
    expect(listed.items.map((r: Json) => [r.id, r.started_by])).toEqual([[byAna.body.id, "Ana"]]);
    const shown = await opsdojo(home, [...remote, "runs", "show", byAdmin.body.id]);
    expect(shown.stdout.split("\n")[1]).toBe("started by admin (first start)");
  });
});
