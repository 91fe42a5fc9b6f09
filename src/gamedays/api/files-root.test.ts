import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { createGamedaysUnit, registerGamedayRoutes } from "./index.ts";

/** What must never come back in an answer: the content of a file the server read. */
const SECRET = "hunter2-do-not-echo";

let store: Store;
let app: ApiApp;
let headers: Record<string, string>;
let root: string;
let outside: string;

const scenario = (name: string, operation: string) => `opsdojo: scenario/v1
name: ${name}
timebox: 10m
brief: something breaks
faults:
  - name: f
    at: 0s
    operation: ${operation}
objectives:
  - file: { path: /tmp }
`;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  root = await tempDir();
  outside = await tempDir();
  await mkdir(join(root, "gd"));
  await mkdir(join(root, "ops"));
  await writeFile(join(outside, "secret.yaml"), `opsdojo: ${SECRET}\npassword: ${SECRET}\n`);
  // Inside the root but not an operation file: a config with a credential in it.
  await writeFile(join(root, "ops", "app.env.yaml"), `opsdojo: ${SECRET}\n${SECRET}_key: ${SECRET}\n`);
  await writeFile(
    join(root, "ops", "ok.yaml"),
    "opsdojo: operation/v1\nname: ok\nsteps:\n  - { name: s, uses: file.mkdir, with: { path: /tmp/opsdojo-root-ok } }\n",
  );
  await symlink(join(outside, "secret.yaml"), join(root, "ops", "link.yaml"));
  app = await createApiCore({
    store,
    clock: new ManualClock("2026-03-01T10:00:00Z"),
    rateLimit: { quota: 100_000, windowSeconds: 60 },
  });
  registerGamedayRoutes(app, createGamedaysUnit(app.core, { filesRoot: root }));
  await app.ready();
  headers = {
    authorization: `Bearer ${(await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token}`,
  };
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

/** Register the scenario (text only: nothing is read), then ask to start it with validate_only. */
async function tryStart(name: string, operation: string) {
  const registered = await app.inject({
    method: "POST",
    url: "/api/scenarios",
    headers,
    payload: { source: scenario(name, operation), file: join(root, "gd", `${name}.yaml`) },
  });
  expect(registered.statusCode, registered.body).toBe(201);
  return app.inject({
    method: "POST",
    url: "/api/sessions?validate_only=true",
    headers,
    payload: { scenario: name, gm: "alice", players: [] },
  });
}

describe("files a scenario names are read only inside the files root", () => {
  it("reads an operation file inside the root", async () => {
    const reply = await tryStart("inside", "../ops/ok.yaml");
    expect(reply.statusCode, reply.body).toBe(200);
  });

  it("refuses .., absolute paths elsewhere and symlinks out, without reading them", async () => {
    for (const [name, path] of [
      ["dotdot", `../../${outside.split("/").pop()}/secret.yaml`],
      ["absolute", join(outside, "secret.yaml")],
      ["symlink", "../ops/link.yaml"],
    ] as const) {
      const reply = await tryStart(name, path);
      expect(reply.statusCode, name).toBe(400);
      expect(reply.body, name).toContain("outside the server's files root");
      expect(reply.body, name).not.toContain(SECRET);
    }
  });

  it("reports a file inside the root that is not an operation by position, never by content", async () => {
    const reply = await tryStart("notop", "../ops/app.env.yaml");
    expect(reply.statusCode).toBe(400);
    const body = reply.json() as { errors: { detail: string }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.detail).toContain(
      "app.env.yaml is not a valid operation/v1 file (problems at line:column",
    );
    expect(body.errors[0]?.detail).toContain("opsdojo validate");
    expect(reply.body).not.toContain(SECRET);
  });
});
