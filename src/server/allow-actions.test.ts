import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import type { ApiApp } from "../api/index.ts";
import { AllowList } from "../operations/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { assembleServer } from "./app.ts";

/** Two nodes on one store: one executes anything, the other only file.* actions. */
let store: Store;
let open: ApiApp;
let strict: ApiApp;
let root: string;
let auth: Record<string, string>;

const operation = (name: string, uses: string, withText: string) => `opsdojo: operation/v1
name: ${name}
steps:
  - name: only
    uses: ${uses}
    with: ${withText}
    undo: none
`;
const SHELL = operation("wipe", "shell.run", '{ command: "echo pwned" }');

const scenario = (fault: string, objective = "file: { path: /tmp }") => `opsdojo: scenario/v1
name: drill
timebox: 10m
brief: something breaks
faults:
  - name: f
    at: 0s
${fault}
objectives:
  - ${objective}
`;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  root = await tempDir();
  await mkdir(join(root, "ops"));
  await writeFile(join(root, "ops", "wipe.yaml"), SHELL);
  const rateLimit = { quota: 100_000, windowSeconds: 60 };
  ({ app: open } = await assembleServer({ store, rateLimit, filesRoot: root }));
  ({ app: strict } = await assembleServer({
    store,
    rateLimit,
    filesRoot: root,
    allowActions: AllowList.parse("file.*", "--allow-actions"),
  }));
  auth = {
    authorization: `Bearer ${(await open.core.tokens.create({ name: "x", scopes: ["execute"] })).token}`,
  };
});
afterAll(async () => {
  await open?.close();
  await strict?.close();
  await store?.close();
  await removeTempDirs();
});

function post(app: ApiApp, url: string, payload: unknown) {
  return app.inject({ method: "POST", url, headers: auth, payload: payload as Record<string, unknown> });
}

function expectRefused(reply: { statusCode: number; json(): unknown }, action: string, where: string) {
  expect(reply.statusCode).toBe(403);
  const body = reply.json() as Record<string, unknown>;
  expect(body.type).toMatch(/\/problems\/action-not-allowed$/);
  expect(body.actions).toEqual([action]);
  expect(body.allowed_actions).toEqual(["file.*"]);
  expect(body.where).toEqual([`${where}: ${action}`]);
  expect(String(body.detail)).toContain(
    `uses ${action}, which this server does not execute: it allows only file.*`,
  );
}

describe("serve --allow-actions", () => {
  it("refuses an operation using another action at registration (validate_only too)", async () => {
    expectRefused(await post(strict, "/api/operations", { source: SHELL }), "shell.run", "steps[0]");
    expectRefused(
      await post(strict, "/api/operations?validate_only=true", { source: SHELL }),
      "shell.run",
      "steps[0]",
    );
    const allowed = operation("touch", "file.write", "{ path: /tmp/opsdojo-allow-x, content: x }");
    expect((await post(strict, "/api/operations?validate_only=true", { source: allowed })).statusCode).toBe(
      200,
    );
  });

  it("refuses to start a run of such an operation, registered where it was allowed", async () => {
    expect((await post(open, "/api/operations", { source: SHELL })).statusCode).toBe(201);
    const start = { operation: "wipe", allow_irreversible: true };
    expectRefused(await post(strict, "/api/runs", start), "shell.run", "steps[0]");
    expectRefused(await post(strict, "/api/runs?validate_only=true", start), "shell.run", "steps[0]");
    expect((await post(open, "/api/runs?validate_only=true", start)).statusCode).toBe(200);

    // Resuming executes the rest of a run: refused as well (the open node queued it; no executor runs here).
    const queued = await post(open, "/api/runs", start);
    expect(queued.statusCode).toBe(201);
    const id = (queued.json() as { id: string }).id;
    expectRefused(
      await post(strict, `/api/runs/${id}/resume?validate_only=true`, {}),
      "shell.run",
      "steps[0]",
    );
    expect((await post(open, `/api/runs/${id}/resume?validate_only=true`, {})).statusCode).toBe(200);
  });

  it("refuses scenarios whose inline steps or checks run other actions, at registration", async () => {
    const inline = "    steps:\n      - { name: s, uses: shell.run, with: { command: 'true' }, undo: none }";
    expectRefused(
      await post(strict, "/api/scenarios", { source: scenario(inline) }),
      "shell.run",
      "faults[0].steps[0]",
    );
    const okFault = "    steps:\n      - { name: s, uses: file.mkdir, with: { path: /tmp/opsdojo-allow-d } }";
    expectRefused(
      await post(strict, "/api/scenarios", { source: scenario(okFault, 'command: { run: "true" }') }),
      "shell.run",
      "objectives[0]",
    );
  });

  it("refuses to start a session whose operation file uses another action", async () => {
    const source = scenario("    operation: ../ops/wipe.yaml");
    const registered = await post(strict, "/api/scenarios", { source, file: join(root, "gd", "drill.yaml") });
    expect(registered.statusCode).toBe(201);
    const start = { scenario: "drill", gm: "alice", players: [], allow_irreversible: true };
    expectRefused(
      await post(strict, "/api/sessions?validate_only=true", start),
      "shell.run",
      "faults[0] (../ops/wipe.yaml): steps[0]",
    );
    expect((await post(open, "/api/sessions?validate_only=true", start)).statusCode).toBe(200);
  });
});
