import { spawn } from "node:child_process";
import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

/** Ask again until `probe` says yes: the test waits for things to happen, never for time to pass. */
async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON output, asserted field by field
type Json = Record<string, any>;

describe("Ctrl-C during opsdojo run", () => {
  it("is journalled and diagnosed as stopped_by_user, not as a slow service; the change is undone", async () => {
    const home = await tempDir();
    const conf = join(home, "app.conf");
    await writeFile(conf, "release=1\n");
    const file = join(home, "op.yaml");
    // The post-check waits on a command that never ends, as a check on a slow rollout would.
    await writeFile(
      file,
      `opsdojo: operation/v1
name: slow-check
targets:
  - { name: app-1 }
steps:
  - name: write-config
    uses: file.write
    with: { path: "${conf}", content: "release=2\\n" }
    post:
      - command: { run: "touch '${home}/checking'; exec sleep 600" }
        within: 10m
`,
    );
    const child = spawn(process.execPath, [BIN, "run", file, "--json"], { env: cleanEnv(home) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    await until(
      () =>
        access(join(home, "checking")).then(
          () => true,
          () => false,
        ),
      "the post-check to start",
    );
    child.kill("SIGINT");
    const code = await exited;

    expect(code, stderr).toBe(1);
    const result = JSON.parse(stdout) as Json;
    expect(result.status).toBe("rolled_back");
    expect(result.failure.reason).toMatch(
      /^the run was stopped \(Ctrl-C or a stop request\) during this step/,
    );
    expect(await readFile(conf, "utf8")).toBe("release=1\n");

    const events = JSON.parse((await opsdojo(home, ["runs", "events", result.id, "--json"])).stdout) as {
      items: Array<{ type: string; data: Json }>;
    };
    expect(events.items.find((e) => e.type === "run.stop_requested")?.data).toEqual({
      target: "app-1",
      step: "write-config",
    });

    const shown = JSON.parse((await opsdojo(home, ["runs", "show", result.id, "--json"])).stdout) as Json;
    const causes = shown.diagnosis.causes as Json[];
    expect(causes.map((c) => c.id)).toEqual(["stopped_by_user"]);
    expect(causes[0]?.title).toBe("the run was stopped (Ctrl-C or a stop request)");
    // Not the slow service the cut-short check would otherwise suggest.
    expect(JSON.stringify(shown.diagnosis)).not.toMatch(/slow service/);
  });
});
