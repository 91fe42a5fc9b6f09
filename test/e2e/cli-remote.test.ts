/**
 * One CLI, local or remote: the same commands on the same data give the same output whether
 * they read this machine's store or a real `opsdojo serve` over HTTP (--server / OPSDOJO_URL).
 * The server serves the store the local commands read, so any difference is the CLI's.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { sharedData } from "../support/shared-data.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON output, asserted field by field
type Json = any;

/** Each command starts Node; on a busy machine a dozen of them take a while. */
const SLOW = { timeout: 240_000 };

let home: string;
let dir: string;
let server: Started;
/** The remote side runs in a home of its own, empty: it cannot read the store by accident. */
let elsewhere: string;
const runIds: { failed: string; succeeded: string; second: string } = {
  failed: "",
  succeeded: "",
  second: "",
};

async function operationFile(name: string, check: string): Promise<string> {
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(dir, name, app), { recursive: true });
    await writeFile(join(dir, name, app, "app.conf"), `release=old-${app}\n`);
  }
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `opsdojo: operation/v1
name: ${name}
params:
  release: { type: string, required: true }
strategy: { batch_size: 1 }
targets:
  - { name: app-1, vars: { dir: "${dir}/${name}/app-1" } }
  - { name: app-2, vars: { dir: "${dir}/${name}/app-2" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
  - name: verify
    uses: noop
    post:
      - command: { run: "${check}" }
`,
  );
  return file;
}

async function localRun(file: string, release = "2.0"): Promise<string> {
  const run = await opsdojo(home, ["run", file, "--param", `release=${release}`, "--json"]);
  expect(run.stdout, run.stderr).not.toBe("");
  return (JSON.parse(run.stdout) as Json).id as string;
}

/** The CLI against the server; `127.0.0.1:PORT` without a scheme, as `serve` prints it. */
function remote(args: string[]) {
  return opsdojo(elsewhere, args, {
    OPSDOJO_URL: server.info.url.replace(/^http:\/\//, ""),
    OPSDOJO_TOKEN: server.info.token,
  });
}

beforeAll(async () => {
  home = await tempDir();
  dir = await tempDir();
  elsewhere = await tempDir();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an operation file's own placeholder
  runIds.failed = await localRun(await operationFile("roll", "test ${target.name} != app-2"));
  const fine = await operationFile("fine", "true");
  runIds.succeeded = await localRun(fine);
  runIds.second = await localRun(fine, "3.0");
  server = await startServe(home, ["--services", "operations,mining,gamedays"]);
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

describe("the runs commands against a server", SLOW, () => {
  it("list, show and events print the same text and JSON as on the local store", async () => {
    const commands = [
      ["runs", "list"],
      ["runs", "show", runIds.failed],
      ["runs", "show", runIds.succeeded],
      ["runs", "events", runIds.failed],
      ["runs", "events", runIds.failed, "--after", "3"],
    ];
    for (const args of commands) {
      for (const form of [args, [...args, "--json"]]) {
        const [local, far] = [await opsdojo(home, form), await remote(form)];
        expect(local.code, `${form.join(" ")}: ${local.stderr}`).toBe(0);
        expect(far.code, `${form.join(" ")} --server: ${far.stderr}`).toBe(0);
        // Text byte for byte; JSON as data (the server may order an object's keys otherwise).
        if (form.includes("--json"))
          expect(JSON.parse(far.stdout), form.join(" ")).toEqual(JSON.parse(local.stdout));
        else expect(far.stdout, form.join(" ")).toBe(local.stdout);
      }
    }
    // What was compared is the real thing: three runs, the failed one with its steps and diagnosis.
    const list = JSON.parse((await remote(["runs", "list", "--json"])).stdout) as Json;
    expect(list.items.map((r: Json) => r.id)).toEqual([runIds.second, runIds.succeeded, runIds.failed]);
    const shown = JSON.parse((await remote(["runs", "show", runIds.failed, "--json"])).stdout) as Json;
    expect(shown.status).toBe("rolled_back");
    expect(shown.steps.map((s: Json) => `${s.target}/${s.stepName}:${s.state}`)).toEqual([
      "app-1/write:undone",
      "app-1/verify:undone",
      "app-2/write:undone",
      "app-2/verify:undone",
    ]);
    expect(shown.diagnosis.failure.step).toBe("verify");
  });

  it("undo is done by the server and reported as a local undo reports it; a second undo changes nothing", async () => {
    const conf = (app: string) => readFile(join(dir, "fine", app, "app.conf"), "utf8");
    expect(await conf("app-1")).toBe("release=3.0\n");
    const far = await remote(["runs", "undo", runIds.second]);
    expect(far.code, far.stderr).toBe(0);
    expect(await conf("app-1")).toBe("release=2.0\n");
    const local = await opsdojo(home, ["runs", "undo", runIds.succeeded]);
    expect(local.code, local.stderr).toBe(0);
    expect(await conf("app-1")).toBe("release=old-app-1\n");
    expect(far.stdout.replaceAll(runIds.second, "RUN")).toBe(
      local.stdout.replaceAll(runIds.succeeded, "RUN"),
    );
    expect(far.stdout).toContain(`run ${runIds.second}: rolled_back`);
    const again = await remote(["runs", "undo", runIds.second, "--json"]);
    const [shownLocal, shownFar] = await Promise.all([
      opsdojo(home, ["runs", "show", runIds.second]),
      remote(["runs", "show", runIds.second]),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Json).status).toBe("rolled_back");
    expect(shownFar.stdout).toBe(shownLocal.stdout);
    expect(shownFar.stdout).toContain("undone");
  });

  it("a run that does not exist reads the same; a server that is down exits 69 and says so", async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    const port = typeof address === "object" && address ? address.port : 0;
    await new Promise((resolve) => closed.close(resolve));
    const [local, far, down] = await Promise.all([
      opsdojo(home, ["runs", "show", "run_01nothing"]),
      remote(["runs", "show", "run_01nothing"]),
      opsdojo(home, ["--server", `http://127.0.0.1:${port}`, "--token", "odj_x", "runs", "list"]),
    ]);
    expect(far.code).toBe(local.code);
    expect(far.stderr).toBe(local.stderr);
    expect(local.stderr).toContain("run run_01nothing does not exist");
    expect(down.code).toBe(69);
    expect(down.stderr).toBe(
      `error: cannot connect to http://127.0.0.1:${port} (ECONNREFUSED): is \`opsdojo serve\` running there?\n`,
    );
  });

  it("commands that only work on this machine refuse a server instead of reading the local store", async () => {
    const [gameday, team, listed, listedHere, noted, notedHere, pm, pmHere] = await Promise.all([
      remote(["gameday", "metrics"]),
      remote(["team", "balance", "bob"]),
      remote(["gameday", "list"]),
      opsdojo(home, ["gameday", "list"]),
      remote(["gameday", "note", "gd_01nothing", "seen it", "--kind", "ack"]),
      opsdojo(home, ["gameday", "note", "gd_01nothing", "seen it", "--kind", "ack"]),
      remote(["gameday", "postmortem", "gd_01nothing", "--format", "json"]),
      opsdojo(home, ["gameday", "postmortem", "gd_01nothing", "--format", "json"]),
    ]);
    // Reading game days works on a server (src/cli/gamedays/contract.test.ts compares them on data).
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(listedHere.stdout);
    // So do note, mark and postmortem: the server's answer, in the local store's words.
    for (const [far, here] of [
      [noted, notedHere],
      [pm, pmHere],
    ] as const) {
      expect(far.code, far.stderr).toBe(1);
      expect(far.stderr).toBe(here.stderr);
      expect(far.stderr).toContain("gd_01nothing");
    }
    for (const [r, name] of [
      [gameday, "opsdojo gameday metrics"],
      [team, "opsdojo team balance"],
    ] as const) {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(`\`${name}\``);
      expect(r.stderr).toContain("does not take --server (or OPSDOJO_URL)");
      expect(r.stdout).toBe("");
    }
  });

  it("run FILE with a server: the server registers and runs it; the output is a local run's", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an operation file's own placeholder
    const file = await operationFile("remote", "test ${target.name} != app-2");
    const far = await remote(["run", file, "--param", "release=5.0"]);
    const local = await opsdojo(home, ["run", file, "--param", "release=5.0"]);
    expect(far.code, far.stderr).toBe(1);
    expect(local.code, local.stderr).toBe(1);
    const id = (text: string) => /^run (run_\w+):/.exec(text)?.[1] ?? "none";
    const farId = id(far.stdout);
    expect(far.stdout.replaceAll(farId, "RUN")).toBe(local.stdout.replaceAll(id(local.stdout), "RUN"));
    expect(far.stdout).toContain("rolled_back");
    expect(far.stdout).toContain("most likely:");
    // The server ran it: the run is in the server's list, and its steps acted on the files.
    const listed = JSON.parse((await remote(["runs", "list", "--json"])).stdout) as Json;
    expect(listed.items.map((r: Json) => r.id)).toContain(farId);
    expect(await readFile(join(dir, "remote", "app-1", "app.conf"), "utf8")).toBe("release=old-app-1\n");
    const refused = await remote(["run", file]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("release");
  });
});

describe("mine discover --upload", SLOW, () => {
  it("stores the model discovered here on the server, where the API serves it", async () => {
    const log = sharedData("eventlogs", "running-example.xes.gz");
    const up = await remote(["mine", "discover", log, "--upload", "running", "--json"]);
    expect(up.code, up.stderr).toBe(0);
    const summary = JSON.parse(up.stdout) as Json;
    expect(summary.uploaded.name).toBe("running");
    expect(summary.uploaded.id).toMatch(/^[a-z]+_/);
    const stored = await fetch(`${server.info.url}/api/mining/models/${summary.uploaded.id}`, {
      headers: { authorization: `Bearer ${server.info.token}` },
    });
    expect(stored.status).toBe(200);
    const model = (await stored.json()) as Json;
    expect(model.name).toBe("running");
    expect(model.activities).toHaveLength(summary.activities);
    // Without a server there is nowhere to upload to: a usage error, not a silent local result.
    const nowhere = await opsdojo(elsewhere, ["mine", "discover", log, "--upload"]);
    expect(nowhere.code).toBe(64);
    expect(nowhere.stderr).toContain("--upload stores the model on a server");
  });
});
