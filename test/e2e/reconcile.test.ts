import { lstat, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

const SLOW = { timeout: 240_000 };
let server: Started | undefined;
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

// biome-ignore lint/suspicious/noExplicitAny: parsed CLI JSON, asserted field by field
type Json = any;

/** A config rewrite and a token delete: the drill from issue 14, as an operation. */
async function world(dir: string): Promise<string> {
  await writeFile(join(dir, "app.conf"), "workers=2\n", { mode: 0o644 });
  await writeFile(join(dir, "token"), "t0k3n\n", { mode: 0o600 });
  const file = join(dir, "op.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: break-things
steps:
  - name: rewrite-config
    uses: file.write
    with: { path: "${dir}/app.conf", content: "workers=0\\n" }
  - name: drop-token
    uses: file.delete
    with: { path: "${dir}/token" }
`,
  );
  return file;
}

/** What players do: the config rewritten their way, the token recreated with other bytes. */
async function playersFix(dir: string): Promise<void> {
  await writeFile(join(dir, "app.conf"), "workers=4 # fixed by hand\n");
  await writeFile(join(dir, "token"), "new-t0k3n\n", { mode: 0o600 });
}

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe("runs undo in a world someone else touched", SLOW, () => {
  it("refuses by default naming the three states; --on-conflict restore restores and keeps theirs until purge-kept", async () => {
    const home = await tempDir();
    const dir = await tempDir();
    const run = await opsdojo(home, ["run", await world(dir), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const id = (JSON.parse(run.stdout) as Json).id as string;
    await playersFix(dir);

    const refused = await opsdojo(home, ["runs", "undo", id, "--json"]);
    expect(refused.code, refused.stderr).toBe(2);
    const r = JSON.parse(refused.stdout) as Json;
    expect(r.status).toBe("rollback_incomplete");
    expect(r.unrestored.map((u: Json) => u.step).sort()).toEqual(["drop-token", "rewrite-config"]);
    const config = r.unrestored.find((u: Json) => u.step === "rewrite-config").conflicts[0];
    expect(config).toMatchObject({
      resource: `file ${dir}/app.conf`,
      policy: "refuse",
      pre: expect.stringContaining("10 bytes"),
      post: expect.stringContaining("10 bytes"),
      now: expect.stringContaining("26 bytes"),
    });
    expect(await readFile(join(dir, "app.conf"), "utf8")).toBe("workers=4 # fixed by hand\n");

    const shown = await opsdojo(home, ["runs", "show", id]);
    expect(shown.stdout).toContain("on conflict, undo will: refuse");
    expect(shown.stdout).toContain(`conflict local/rewrite-config file ${dir}/app.conf (refuse)`);

    const typo = await opsdojo(home, ["runs", "undo", id, "--on-conflict", "overwrite"]);
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain("--on-conflict takes refuse, restore, keep");

    const restored = await opsdojo(home, ["runs", "undo", id, "--on-conflict", "restore", "--json"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(await readFile(join(dir, "app.conf"), "utf8")).toBe("workers=2\n");
    expect(await readFile(join(dir, "token"), "utf8")).toBe("t0k3n\n");
    expect((await stat(join(dir, "token"))).mode & 0o777).toBe(0o600);

    const events = JSON.parse((await opsdojo(home, ["runs", "show", id, "--json"])).stdout).events as Json[];
    const kept = events.filter((e) => e.type === "step.kept_aside").map((e) => e.data.kept_at as string);
    expect(kept).toHaveLength(2);
    expect(await readFile(kept.find((k) => k.endsWith("/app.conf")) as string, "utf8")).toBe(
      "workers=4 # fixed by hand\n",
    );
    expect((await opsdojo(home, ["runs", "commit", id])).code).toBe(0);
    for (const k of kept) expect(await exists(k)).toBe(true);
    const purged = await opsdojo(home, ["runs", "purge-kept", id, "--json"]);
    expect(purged.code, purged.stderr).toBe(0);
    expect((JSON.parse(purged.stdout) as Json).purged.sort()).toEqual([...kept].sort());
    for (const k of kept) expect(await exists(k)).toBe(false);
    expect(await exists(join(dir, ".opsdojo-trash"))).toBe(false);
  });

  it("plan says which policy each step's undo applies on a conflict", async () => {
    const home = await tempDir();
    const dir = await tempDir();
    const file = await world(dir);
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace(
        "    uses: file.delete\n",
        "    uses: file.delete\n    on_conflict: restore\n",
      ),
    );
    const plan = await opsdojo(home, ["plan", file, "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as Json).steps.map((s: Json) => [s.name, s.on_conflict])).toEqual([
      ["rewrite-config", "refuse"],
      ["drop-token", "restore"],
    ]);
    const text = await opsdojo(home, ["plan", file]);
    expect(text.stdout).toContain("refuse (rewrite-config); restore (drop-token)");
  });

  it("a server undoes with the policy the CLI sends; purge-kept stays on this machine", async () => {
    const home = await tempDir();
    const dir = await tempDir();
    const run = await opsdojo(home, ["run", await world(dir), "--json"]);
    const id = (JSON.parse(run.stdout) as Json).id as string;
    await playersFix(dir);
    server = await startServe(home, ["--services", "operations"]);
    const env = { OPSDOJO_URL: server.info.url, OPSDOJO_TOKEN: server.info.token };
    const elsewhere = await tempDir();
    const undo = await opsdojo(elsewhere, ["runs", "undo", id, "--on-conflict", "restore", "--json"], env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(await readFile(join(dir, "app.conf"), "utf8")).toBe("workers=2\n");
    expect(await readFile(join(dir, "token"), "utf8")).toBe("t0k3n\n");
    const purge = await opsdojo(elsewhere, ["runs", "purge-kept", id], env);
    expect(purge.code).not.toBe(0);
    expect(purge.stderr).toContain("runs purge-kept");
  });
});
