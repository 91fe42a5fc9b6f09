import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree } from "../support/tree-snapshot.ts";
import { until } from "../support/until.ts";

// A drill through the CLI whose players fix things their own way (issue 14): the same bytes, other
// bytes, a file deleted again. The restore must leave the world as it was and lose nothing of theirs.

const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await removeTempDirs();
});

/** A command's `--json` output, as the type the test reads it as. */
async function json<T>(home: string, args: string[]): Promise<T> {
  const result = await opsdojo(home, [...args, "--json"]);
  if (result.code !== 0) throw new Error(`opsdojo ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

async function drill() {
  const home = await tempDir();
  const srv = join(home, "srv");
  await mkdir(srv);
  await writeFile(join(srv, "app.conf"), "mode=healthy\nworkers=2\n", { mode: 0o644 });
  await writeFile(join(srv, "token"), "t0k3n\n", { mode: 0o600 });
  await writeFile(join(srv, "cache.db"), "rows\n", { mode: 0o644 });
  const scenario = join(home, "scenario.yaml");
  await writeFile(
    scenario,
    `opsdojo: scenario/v1
name: hands-on
timebox: 10m
brief: The app is unhealthy.
roles: [gm, primary]
faults:
  - name: break-things
    at: 0s
    steps:
      - { name: config, uses: file.write, with: { path: ${srv}/app.conf, content: "mode=broken\\n" } }
      - { name: token, uses: file.delete, with: { path: ${srv}/token } }
      - { name: cache, uses: file.write, with: { path: ${srv}/cache.db, content: "corrupt\\n" } }
# The cache's rows: the players delete the cache rather than restore it, so their fix below
# never meets the objective and the session ends by 'gameday end' alone (an objective they
# could meet would race that command on a busy machine).
objectives:
  - name: cache-rows
    file: { path: ${srv}/cache.db, contains: "rows" }
`,
  );
  const before = await snapshotTree(srv);
  const child = spawn(
    process.execPath,
    [
      BIN,
      "gameday",
      "start",
      scenario,
      "--gm",
      "alice",
      "--player",
      "bob:primary",
      "--poll",
      "200ms",
      "--json",
    ],
    { env: cleanEnv(home) },
  );
  children.add(child);
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const done = new Promise<{ code: number | null; final: Record<string, unknown> }>((resolve) =>
    child.once("exit", (code) => {
      children.delete(child);
      resolve({ code, final: JSON.parse(stdout || "{}") as Record<string, unknown> });
    }),
  );
  await until(
    async () => ((await readFile(join(srv, "app.conf"), "utf8")) === "mode=broken\n" ? true : undefined),
    "the fault",
  );
  const id = await until(async () => {
    const list = await json<{ items: { id: string; status: string }[] }>(home, ["gameday", "list"]);
    return list.items.find((s) => s.status === "running")?.id;
  }, "the session");
  const world = async () =>
    Object.fromEntries(
      Object.entries(await snapshotTree(srv)).filter(([p]) => !p.startsWith(".opsdojo-trash")),
    );
  return { home, srv, id, before, done, world };
}

describe("a game day whose players fix things their own way", { timeout: 300_000 }, () => {
  it("the same bytes, their own bytes, a file deleted again: the world byte for byte, theirs kept and named", async () => {
    const d = await drill();
    await until(
      async () => ((await readFile(join(d.srv, "cache.db"), "utf8")) === "corrupt\n" ? true : undefined),
      "every fault step",
    );
    // Their own config fix; the token recreated byte for byte; the corrupt cache deleted again.
    await writeFile(join(d.srv, "app.conf"), "mode=healthy\nworkers=4\n");
    await writeFile(join(d.srv, "token"), "t0k3n\n", { mode: 0o600 });
    await rm(join(d.srv, "cache.db"));
    await json<unknown>(d.home, ["gameday", "end", d.id, "--by", "alice"]);
    const { code, final } = await d.done;
    expect(code).toBe(0);
    expect(final.clean_restore).toBe(true);
    expect(await d.world()).toEqual(d.before);

    const { items: timeline } = await json<{
      items: { kind: string; text: string; data: Record<string, unknown> }[];
    }>(d.home, ["gameday", "timeline", d.id]);
    const conflicts = timeline.filter((e) => e.kind === "fault.conflict");
    // The token came back as it was: no conflict. The config and the deleted cache: one each.
    expect(conflicts.map((e) => e.data.resource).sort()).toEqual([
      `file ${d.srv}/app.conf`,
      `file ${d.srv}/cache.db`,
    ]);
    const config = conflicts.find((e) => e.data.resource === `file ${d.srv}/app.conf`);
    expect(await readFile(String(config?.data.kept_at), "utf8")).toBe("mode=healthy\nworkers=4\n");
    const cache = conflicts.find((e) => e.data.resource === `file ${d.srv}/cache.db`);
    expect(cache?.data.now).toBe("absent");

    const md = await opsdojo(d.home, ["gameday", "postmortem", d.id]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("## What the players changed");
    expect(md.stdout).toContain("+workers=4");
    expect(md.stdout).toContain(String(config?.data.kept_at));
  });
});
