import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

interface RunJson {
  id: string;
  status: string;
  targets: Array<{
    name: string;
    status: string;
    failure?: { step: string; reason: string; check?: { ok: boolean; observed: string; attempts: number } };
  }>;
  unrestored: unknown[];
}

let silent: Server;
let silentUrl: string;
let silentPort: number;
/**
 * A TCP listener that never accepts: a child process listens with a backlog of 1 and blocks its
 * only thread right after printing its port (a pipe write is synchronous on Linux), so nothing is
 * ever accepted; once two connections have filled the queue, further SYNs go unanswered.
 */
let deaf: ChildProcess;
let deafPort: number;
const fillers: Socket[] = [];

beforeAll(async () => {
  // Answers /ok; takes any other request and never answers it.
  silent = createServer((req, res) => {
    if (req.url === "/ok") res.end("ok");
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentPort = (silent.address() as { port: number }).port;
  silentUrl = `http://127.0.0.1:${silentPort}`;
  deaf = spawn(
    process.execPath,
    [
      "-e",
      `require("net").createServer().listen({ port: 0, host: "127.0.0.1", backlog: 1 }, function () {
        console.log(this.address().port);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  deafPort = await new Promise<number>((resolve) =>
    deaf.stdout?.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  // The queue is full once the kernel has completed both handshakes (connect), not before.
  for (let i = 0; i < 2; i++) {
    const socket = connect({ host: "127.0.0.1", port: deafPort });
    socket.on("error", () => {});
    fillers.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
  }
});

afterAll(async () => {
  for (const socket of fillers) socket.destroy();
  deaf.kill("SIGKILL");
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
  await removeTempDirs();
});

/** A SIGKILL takes effect when the process is next scheduled: on a busy machine, a moment later. */
async function gone(pid: number): Promise<boolean> {
  await until(async () => !(await alive(pid)), `process ${pid} to end`);
  return true;
}

/** Running or sleeping; a killed process not yet reaped (a zombie) is not alive. */
async function alive(pid: number): Promise<boolean> {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(await readFile(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function runFile(home: string, dir: string, yaml: string): Promise<RunJson & { code: number | null }> {
  const file = join(dir, "op.yaml");
  await writeFile(file, yaml);
  const result = await opsdojo(home, ["run", file, "--json"]);
  expect(result.stdout, result.stderr).not.toBe("");
  return { ...(JSON.parse(result.stdout) as RunJson), code: result.code };
}

describe("checks and commands that hang", () => {
  it("post-checks that never answer (http, tcp, sleep 1000) fail within their `within`; the run rolls back", async () => {
    const dir = await tempDir("opsdojo-hostile-hang-");
    const home = await tempDir("opsdojo-hostile-home-");
    for (const t of ["http", "tcp", "command"]) await writeFile(join(dir, `${t}.conf`), "old\n");
    // Every target runs the same three checks; for each, one of them hangs and the others pass.
    const ok = { url: `${silentUrl}/ok`, port: silentPort, run: "true" };
    const vars = {
      http: { ...ok, url: `${silentUrl}/hang` },
      tcp: { ...ok, port: deafPort },
      command: { ...ok, run: `echo $$ > '${dir}/command.pid'; exec sleep 1000` },
    };
    const result = await runFile(
      home,
      dir,
      `opsdojo: operation/v1
name: hanging-checks
strategy: { batch_size: 3 }
targets:
${Object.entries(vars)
  .map(([name, v]) => `  - { name: ${name}, vars: ${JSON.stringify(v)} }`)
  .join("\n")}
steps:
  - name: write
    uses: file.write
    with: { path: "${dir}/\${target.name}.conf", content: "new\\n" }
  - name: verify
    uses: noop
    post:
      - http: { url: "\${target.url}" }
        within: 1s
      - tcp: { host: 127.0.0.1, port: "\${target.port}" }
        within: 1s
      - command: { run: "\${target.run}" }
        within: 1s
`,
    );
    expect(result.code).toBe(1);
    expect(result.status).toBe("rolled_back");
    expect(result.unrestored).toEqual([]);
    for (const t of ["http", "tcp", "command"]) {
      expect(await readFile(join(dir, `${t}.conf`), "utf8")).toBe("old\n");
    }
    const observed = Object.fromEntries(
      result.targets.map((t) => [t.name, [t.failure?.step, t.failure?.check?.observed]]),
    );
    expect(observed).toEqual({
      http: ["verify", "no response: no answer in time"],
      tcp: ["verify", "no answer in time"],
      command: ["verify", expect.stringMatching(/^stopped before it finished/)],
    });
    // The hanging command was stopped, not left behind.
    expect(await alive(Number((await readFile(join(dir, "command.pid"), "utf8")).trim()))).toBe(false);
  });

  it("a shell step that ignores SIGTERM is killed with its group after its timeout; nothing is left running; rolled back", async () => {
    const dir = await tempDir("opsdojo-hostile-term-");
    const home = await tempDir("opsdojo-hostile-home-");
    await writeFile(join(dir, "app.conf"), "release=1\n");
    const result = await runFile(
      home,
      dir,
      `opsdojo: operation/v1
name: stubborn
steps:
  - name: write
    uses: file.write
    with: { path: "${dir}/app.conf", content: "release=2\\n" }
  - name: stubborn
    uses: shell.run
    with: { command: "trap '' TERM; echo $$ > '${dir}/sh.pid'; sleep 1000 & echo $! > '${dir}/sleep.pid'; wait; wait" }
    undo: { uses: noop }
    timeout: 1s
`,
    );
    expect(result.code).toBe(1);
    expect(result.status).toBe("rolled_back");
    expect(result.targets[0]?.failure).toMatchObject({ step: "stubborn", reason: "timed out after 1s" });
    expect(await readFile(join(dir, "app.conf"), "utf8")).toBe("release=1\n");
    for (const name of ["sh.pid", "sleep.pid"]) {
      const pid = Number((await readFile(join(dir, name), "utf8")).trim());
      expect(pid).toBeGreaterThan(1);
      expect(await alive(pid), name).toBe(false);
    }
  });

  it("when opsdojo itself is killed with SIGKILL, the step's command dies with it instead of acting after (or during) the undo", async () => {
    const dir = await tempDir("opsdojo-hostile-orphan-");
    const home = await tempDir("opsdojo-hostile-home-");
    const file = join(dir, "op.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: orphan
steps:
  - name: slow
    uses: shell.run
    with: { command: "echo $$ > '${dir}/sh.pid'; while [ ! -e '${dir}/go' ]; do sleep 0.05; done; touch '${dir}/too-late'" }
    undo: { uses: shell.run, with: { command: "rm -f '${dir}/too-late'" } }
`,
    );
    const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(home), stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const shell = await until(
      async () =>
        Number((await readFile(join(dir, "sh.pid"), "utf8").catch(() => "")).trim() || 0) || undefined,
      "the step's shell to start",
    );
    expect(shell).toBeGreaterThan(1);
    child.kill("SIGKILL");
    await exited;
    expect(await gone(shell)).toBe(true);
    // Had the command outlived opsdojo, this is when it would act.
    await writeFile(join(dir, "go"), "");
    const undo = await opsdojo(home, ["runs", "list", "--json"]);
    const id = (JSON.parse(undo.stdout) as { items: Array<{ id: string; status: string }> }).items[0];
    expect(id?.status).toBe("interrupted");
    await expect(readFile(join(dir, "too-late"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
