import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opsdojo, type Run, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

function json<T = Record<string, unknown>>(run: Run): T {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** Ids and timestamps differ on every run; the rest of the text output is pinned by snapshots. */
function masked(text: string): string {
  return text
    .replace(/svc_[0-9a-z]{26}/g, "svc_<id>")
    .replace(/tok_[0-9a-z]{26}/g, "tok_<id>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>");
}

afterAll(removeTempDirs);

/** Each run starts Node and loads the program (about a second, more on a busy machine). */
const SPAWNING = { timeout: 300_000 };

describe("opsdojo CLI", SPAWNING, () => {
  it("prints its help", async () => {
    const run = await opsdojo(await tempDir(), ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatchInlineSnapshot(`
      "Usage: opsdojo [options] [command]

      The practice hall of an operations team: undoable operations, game days and process mining
      behind one consistent REST API.

      Options:
        -V, --version                 print the version
        --json                        print machine-readable JSON (lists are {items: [...]})
        --server <url>                a server instead of the local store (env OPSDOJO_URL)
        --token <token>               bearer token for --server (env OPSDOJO_TOKEN)
        -h, --help                    show help

      Commands:
        serve [options]               run the API server and the dashboard until Ctrl-C
        token                         create, list and revoke API tokens (on the store of this machine)
        services                      the service directory: list, show, register, remove
        openapi [options]             print the OpenAPI document of the full server
        conform [options] <base-url>  check a service over HTTP against the API conventions (CB-01 …
                                      CB-30)
        validate [options] <file>     check an operation file (operation/v1) and report every problem with
                                      file:line:column
        plan [options] <file>         classify every step automatic | declared | planned | irreversible
                                      and preview its effects
        run [options] <file>          run an operation file: journalled, verified, rolled back on failure
        simulate [options] <file>     simulate an operation from its journal: P(success), time
                                      P50/P90/P99, bottlenecks, best batch size
        runs                          runs of operations: list, show, undo
        mine                          process mining from logs: templates, discovery, conformance, live
                                      deviations
        gameday                       game days: plan a scenario, play it (real faults, restored after),
                                      timeline, metrics
        team                          game-day parties and people: members, balance, competence, GM
                                      rotation, interviews
        actions                       postmortem action items: add, list, show (with their effect on
                                      re-runs), done, drop
        survey                        team surveys: open a round with invitation codes, answer
                                      anonymously, results beside evidence
        learn                         learning events, evidence per dimension, bus factors (the Brent
                                      report)

      Environment:
        OPSDOJO_HOME          directory of the embedded store (default ~/.opsdojo)
        OPSDOJO_DATABASE_URL  postgres://… to use PostgreSQL instead
        OPSDOJO_URL           a server to talk to instead of the store (like --server)
        OPSDOJO_TOKEN         its bearer token (like --token)
        NO_COLOR              turn colour off

      Exit codes: 0 ok, 1 failed, 3 refused or invalid input, 64 usage, 69 server unreachable (see docs/getting-started.md).
      "
    `);
  });

  it("answers a command line it cannot parse with exit 64, one line and a hint", async () => {
    const home = await tempDir();
    const [unknownCommand, unknownOption, missingOption, noCommand] = await Promise.all([
      opsdojo(home, ["servics", "list"]),
      opsdojo(home, ["services", "list", "--colour"]),
      opsdojo(home, ["token", "create", "--name", "ci"]),
      opsdojo(home, []),
    ]);
    expect(unknownCommand.code).toBe(64);
    expect(unknownCommand.stderr).toMatchInlineSnapshot(`
      "error: unknown command 'servics' (Did you mean services?)
      hint: run \`opsdojo --help\` for usage
      "
    `);
    expect(unknownOption.code).toBe(64);
    expect(unknownOption.stderr).toMatchInlineSnapshot(`
      "error: unknown option '--colour'
      hint: run \`opsdojo services list --help\` for usage
      "
    `);
    expect(missingOption.code).toBe(64);
    expect(missingOption.stderr).toContain("required option '--scope <scope>' not specified");
    expect(noCommand.code).toBe(64);
    expect(noCommand.stderr).toContain("Usage: opsdojo [options] [command]");
    for (const run of [unknownCommand, unknownOption, missingOption, noCommand]) {
      expect(run.stdout).toBe("");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("creates, lists and revokes tokens on the local store", async () => {
    const home = await tempDir();
    const created = json<{
      token: string;
      id: string;
      name: string;
      scopes: string[];
      expires_at: null;
      revoked_at: null;
    }>(
      await opsdojo(home, [
        "token",
        "create",
        "--name",
        "ci",
        "--scope",
        "read",
        "--scope",
        "write",
        "--json",
      ]),
    );
    expect(created.token).toMatch(/^odj_[\w-]{43}$/);
    expect(created.id).toMatch(/^tok_[0-9a-z]{26}$/);
    expect(created.name).toBe("ci");
    expect(created.scopes).toEqual(["read", "write"]);
    expect(created.expires_at).toBeNull();
    expect(created.revoked_at).toBeNull();

    const other = json<{ id: string; scopes: string[] }>(
      await opsdojo(home, ["token", "create", "--name", "ops", "--scope", "read,admin", "--json"]),
    );
    expect(other.scopes).toEqual(["read", "admin"]);

    const listed = json<{ items: Array<Record<string, unknown>> }>(
      await opsdojo(home, ["token", "list", "--json"]),
    );
    expect(listed.items.map((t) => t.id)).toEqual([created.id, other.id]);
    expect(listed.items.map((t) => t.name)).toEqual(["ci", "ops"]);
    // Secrets are shown once, at creation, and never again.
    expect(JSON.stringify(listed)).not.toContain("odj_");

    const revoked = await opsdojo(home, ["token", "revoke", created.id]);
    expect(revoked.code).toBe(0);
    expect(masked(revoked.stdout)).toBe('revoked token tok_<id> "ci"\n');

    const text = await opsdojo(home, ["token", "list"]);
    expect(text.code).toBe(0);
    expect(masked(text.stdout)).toMatchInlineSnapshot(`
      "ID                              NAME  SCOPES      CREATED                   LAST USED  STATUS
      tok_<id>  ci    read,write  <time>  never      revoked
      tok_<id>  ops   read,admin  <time>  never      active
      "
    `);
    const runner = json<{ scopes: string[] }>(
      await opsdojo(home, ["token", "create", "--name", "runner", "--scope", "execute", "--json"]),
    );
    expect(runner.scopes).toEqual(["execute"]);
  });

  it("refuses bad token input with exit 3 and an unknown token with exit 1", async () => {
    const home = await tempDir();
    const [badScope, unknown] = await Promise.all([
      opsdojo(home, ["token", "create", "--name", "x", "--scope", "root"]),
      opsdojo(home, ["token", "revoke", "tok_01nothing"]),
    ]);
    expect(badScope.code).toBe(3);
    expect(badScope.stderr).toBe('error: unknown scope "root"; use read, write, execute, admin\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      "error: token tok_01nothing does not exist; `opsdojo token list` shows every token\n",
    );
  });

  it("registers, lists, shows and removes services on the local store", async () => {
    const home = await tempDir();
    const registered = json<Record<string, unknown>>(
      await opsdojo(home, [
        "services",
        "register",
        "--name",
        "payments-api",
        "--owner",
        "sre",
        "--description",
        "takes the money",
        "--instance",
        "http://10.0.0.5:8080/",
        "--version",
        "1.2.0",
        "--version",
        "1.3.0",
        "--json",
      ]),
    );
    expect(registered.id).toMatch(/^svc_[0-9a-z]{26}$/);
    expect(registered.name).toBe("payments-api");
    expect(registered.owner).toBe("sre");
    expect(registered.description).toBe("takes the money");
    expect(registered.lifecycle).toBe("experimental");
    expect(registered.versions).toEqual([
      { version: "1.2.0", status: "active" },
      { version: "1.3.0", status: "active" },
    ]);
    expect(registered.instances).toEqual([{ base_url: "http://10.0.0.5:8080", status: "unknown" }]);
    expect(registered.health_url).toBe("/health");

    const second = await opsdojo(home, ["services", "register", "--name", "ledger", "--owner", "finance"]);
    expect(second.code).toBe(0);
    expect(masked(second.stdout)).toBe("registered ledger (svc_<id>)\n");

    // Reads are independent of each other: run them side by side.
    const [list, filteredRun, pagedRun, allRun, show, byIdRun] = await Promise.all([
      opsdojo(home, ["services", "list", "--sort", "name"]),
      opsdojo(home, ["services", "list", "--filter", 'owner = "finance"', "--json"]),
      opsdojo(home, ["services", "list", "--sort", "name", "--limit", "1", "--json"]),
      opsdojo(home, ["services", "list", "--sort", "name", "--limit", "1", "--all", "--json"]),
      opsdojo(home, ["services", "show", "payments-api"]),
      opsdojo(home, ["services", "show", String(registered.id), "--json"]),
    ]);
    expect(list.code).toBe(0);
    expect(masked(list.stdout)).toMatchInlineSnapshot(`
      "NAME          OWNER    LIFECYCLE     VERSIONS     INSTANCES  ID
      ledger        finance  experimental  -            -          svc_<id>
      payments-api  sre      experimental  1.2.0,1.3.0  unknown    svc_<id>
      "
    `);

    const filtered = json<{ items: Array<{ name: string }> }>(filteredRun);
    expect(filtered.items.map((s) => s.name)).toEqual(["ledger"]);

    const paged = json<{ items: Array<{ name: string }>; next_cursor?: string }>(pagedRun);
    expect(paged.items.map((s) => s.name)).toEqual(["ledger"]);
    expect(typeof paged.next_cursor).toBe("string");
    const all = json<{ items: Array<{ name: string }>; next_cursor?: string }>(allRun);
    expect(all.items.map((s) => s.name)).toEqual(["ledger", "payments-api"]);
    expect(all.next_cursor).toBeUndefined();

    expect(show.code).toBe(0);
    expect(masked(show.stdout)).toMatchInlineSnapshot(`
      "payments-api
      id:          svc_<id>
      owner:       sre
      lifecycle:   experimental
      description: takes the money
      versions:    1.2.0 active
                   1.3.0 active
      instances:   http://10.0.0.5:8080 unknown
      health url:  /health
      created:     <time>
      updated:     <time>
      "
    `);
    expect(json<{ name: string }>(byIdRun).name).toBe("payments-api");

    const removed = json<{ id: string; deleted_at?: string }>(
      await opsdojo(home, ["services", "remove", "payments-api", "--json"]),
    );
    expect(removed.id).toBe(registered.id);
    expect(removed.deleted_at).toMatch(/^\d{4}-/);
    const after = json<{ items: Array<{ name: string }> }>(
      await opsdojo(home, ["services", "list", "--json"]),
    );
    expect(after.items.map((s) => s.name)).toEqual(["ledger"]);
    // Removed, not "does not exist": the same entry --show-deleted lists, marked as removed.
    const gone = await opsdojo(home, ["services", "show", "payments-api"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(
      `error: service "payments-api" was removed (${registered.id}, at ${removed.deleted_at}); \`opsdojo services show ${registered.id}\` still shows it\n`,
    );
    const listed = await opsdojo(home, ["services", "list", "--show-deleted"]);
    expect(listed.stdout).toMatch(/^payments-api \(removed\) /m);
    expect(listed.stdout).toMatch(/^ledger /m);
    const never = await opsdojo(home, ["services", "show", "never-was"]);
    expect(never.stderr).toBe(
      'error: service "never-was" does not exist\nhint: `opsdojo services list` shows the registered services\n',
    );
  });

  it("refuses invalid service input with exit 3, listing each problem", async () => {
    const home = await tempDir();
    const [invalid, badRef, badLimit] = await Promise.all([
      opsdojo(home, ["services", "register", "--name", "Payments_API", "--owner", "sre", "--version", "1.2"]),
      opsdojo(home, ["services", "show", "Not a name"]),
      opsdojo(home, ["services", "list", "--limit", "-1"]),
    ]);
    expect(invalid.code, invalid.stderr).toBe(3);
    // Said per flag, in words: no regex, no JSON pointer.
    expect(invalid.stderr).toMatchInlineSnapshot(`
      "error: 2 options are not valid:
        --name: use lowercase letters, digits and single hyphens, starting with a letter (e.g. payments-api)
        --version #1: use a version of three numbers, like 1.2.0
      "
    `);
    expect(badRef.code, badRef.stderr).toBe(3);
    expect(badRef.stderr).toContain('"Not a name" is neither a service id (svc_…) nor a service name');
    expect(badLimit.code, badLimit.stderr).toBe(3);
    expect(badLimit.stderr).toContain('--limit "-1" must be a whole number of at least 1');
    const nothing = json<{ items: unknown[] }>(await opsdojo(home, ["services", "list", "--json"]));
    expect(nothing.items).toEqual([]);
  });

  it("reports failures as JSON on stderr under --json, and nothing on stdout", async () => {
    const run = await opsdojo(await tempDir(), [
      "services",
      "register",
      "--name",
      "Bad",
      "--owner",
      "sre",
      "--json",
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    const { error } = JSON.parse(run.stderr) as {
      error: { message: string; exit_code: number; details: string[]; hint?: string };
    };
    expect(error.message).toBe(
      "--name: use lowercase letters, digits and single hyphens, starting with a letter (e.g. payments-api)",
    );
    expect(error.exit_code).toBe(3);
    expect(error.details ?? []).toEqual([]);
    expect(error.hint).toBeUndefined();
  });

  it("colours text only when allowed: FORCE_COLOR turns it on, NO_COLOR always off", async () => {
    const home = await tempDir();
    await opsdojo(home, ["token", "create", "--name", "ci", "--scope", "read"]);
    const [forced, both] = await Promise.all([
      opsdojo(home, ["token", "list"], { NO_COLOR: "", FORCE_COLOR: "1" }),
      opsdojo(home, ["token", "list"], { NO_COLOR: "1", FORCE_COLOR: "1" }),
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("\u001b[");
    expect(both.code).toBe(0);
    expect(both.stdout).not.toContain("\u001b[");
    expect(both.stdout).toContain("active");
  });

  it("reports a port in use with exit 1 and what to do", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const address = blocker.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const run = await opsdojo(await tempDir(), ["serve", "--port", String(port)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `error: port ${port} on 127.0.0.1 is already in use; stop the process using it or pick another port with --port (or OPSDOJO_PORT)\n`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("opsdojo CLI against a server", SPAWNING, () => {
  let serverHome: string;
  let server: Started;
  let remote: string[];

  beforeAll(async () => {
    serverHome = await tempDir();
    server = await startServe(serverHome);
    remote = ["--server", server.info.url, "--token", server.info.token];
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serve prints where it listens, the admin token, and a dashboard link carrying a read-only token", async () => {
    expect(server.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.info.token).toMatch(/^odj_/);
    const linked = /#token=(odj_[^&]+)$/.exec(server.info.dashboard_url)?.[1] ?? "";
    expect(server.info.dashboard_url).toBe(`${server.info.url}/#token=${linked}`);
    expect(linked).not.toBe(server.info.token);
    // The link's token reads, and cannot change anything.
    const headers = { authorization: `Bearer ${linked}`, "content-type": "application/json" };
    expect((await fetch(`${server.info.url}/api/services`, { headers })).status).toBe(200);
    const write = await fetch(`${server.info.url}/api/members`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "mallory", class: "generalist" }),
    });
    expect(write.status).toBe(403);
    expect(server.info.first_start).toBe(true);
    expect(server.info.expires_at).toBeNull();
    expect(server.info.services).toEqual([
      "directory",
      "operations",
      "gamedays",
      "gamedays-team",
      "mining",
      "learning",
    ]);
  });

  it("registers, lists, shows and removes services through the typed client", async () => {
    const home = await tempDir();
    const registered = json<{ id: string; name: string; instances: unknown[] }>(
      await opsdojo(home, [
        "services",
        "register",
        "--name",
        "remote-api",
        "--owner",
        "sre",
        "--instance",
        "http://127.0.0.1:9/",
        "--json",
        ...remote,
      ]),
    );
    expect(registered.id).toMatch(/^svc_/);
    expect(registered.instances).toEqual([{ base_url: "http://127.0.0.1:9", status: "unknown" }]);

    // The server's own units are in its directory too; the CLI's local store is untouched.
    const listed = json<{ items: Array<{ name: string }> }>(
      await opsdojo(home, ["services", "list", "--sort", "name", "--json", ...remote]),
    );
    expect(listed.items.map((s) => s.name)).toEqual([
      "directory",
      "gamedays",
      "gamedays-team",
      "learning",
      "mining",
      "operations",
      "remote-api",
    ]);
    const local = json<{ items: unknown[] }>(await opsdojo(home, ["services", "list", "--json"]));
    expect(local.items).toEqual([]);

    // The environment works like the flags.
    const env = { OPSDOJO_URL: server.info.url, OPSDOJO_TOKEN: server.info.token };
    const shown = json<{ id: string }>(
      await opsdojo(home, ["services", "show", "remote-api", "--json"], env),
    );
    expect(shown.id).toBe(registered.id);

    const removed = await opsdojo(home, ["services", "remove", registered.id, ...remote]);
    expect(removed.code).toBe(0);
    expect(masked(removed.stdout)).toBe(
      "removed remote-api (svc_<id>); `opsdojo services list --show-deleted` still shows it\n",
    );
    const unknown = await opsdojo(home, ["services", "show", "remote-api", ...remote]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`error: service "remote-api" was removed (${registered.id}, at `);
    const unknownId = await opsdojo(home, ["services", "show", "svc_01nothing", ...remote]);
    expect(unknownId.code).toBe(1);
    expect(unknownId.stderr).toBe("error: Nothing is here: service svc_01nothing does not exist\n");
  });

  it("renders the server's problems and refuses with exit 3", async () => {
    const home = await tempDir();
    const reader = json<{ token: string }>(
      await opsdojo(serverHome, ["token", "create", "--name", "reader", "--scope", "read", "--json"]),
    );
    const [invalid, badFilter, forbidden, wrongToken] = await Promise.all([
      opsdojo(home, ["services", "register", "--name", "Bad_Name", "--owner", "", ...remote]),
      opsdojo(home, ["services", "list", "--filter", 'nmae = "x"', ...remote]),
      opsdojo(home, [
        "services",
        "register",
        "--name",
        "read-only",
        "--owner",
        "sre",
        "--server",
        server.info.url,
        "--token",
        reader.token,
      ]),
      opsdojo(home, ["services", "list", "--server", server.info.url, "--token", "odj_wrong"]),
    ]);
    expect(invalid.code, invalid.stderr).toBe(3);
    expect(invalid.stderr).toMatchInlineSnapshot(`
      "error: 2 options are not valid:
        --name: use lowercase letters, digits and single hyphens, starting with a letter (e.g. payments-api)
        --owner: must not be empty
      "
    `);
    expect(badFilter.code).toBe(3);
    expect(badFilter.stderr).toMatchInlineSnapshot(`
      "error: The filter or sort expression is not valid
        query /filter: unknown field "nmae" at position 1; filterable fields: name, owner, lifecycle, created_at, updated_at
      "
    `);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toMatchInlineSnapshot(`
      "error: The token lacks the scope this operation needs: this operation needs the "write" scope; the token has: read
      hint: use a token with the "write" scope
      "
    `);
    expect(wrongToken.code).toBe(3);
    expect(wrongToken.stderr).toContain(
      "error: Authentication is required: the bearer token is unknown, expired or revoked",
    );
  });

  it("reports a server it cannot reach with exit 69, and a server without a token as a usage error", async () => {
    const home = await tempDir();
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    const port = typeof address === "object" && address ? address.port : 0;
    await new Promise((resolve) => closed.close(resolve));

    const [unreachable, noToken] = await Promise.all([
      opsdojo(home, ["services", "list", "--server", `http://127.0.0.1:${port}`, "--token", "odj_x"]),
      opsdojo(home, ["services", "list", "--server", server.info.url]),
    ]);
    expect(unreachable.code).toBe(69);
    expect(unreachable.stderr).toBe(
      `error: cannot connect to http://127.0.0.1:${port} (ECONNREFUSED): is \`opsdojo serve\` running there?\n`,
    );
    expect(noToken.code).toBe(64);
    expect(noToken.stderr).toContain("no token: pass --token odj_… or set OPSDOJO_TOKEN");
  });

  it("stops cleanly on SIGTERM, and a later start prints a read-only 24-hour session token", async () => {
    const home = await tempDir();
    const first = await startServe(home);
    expect(first.info.first_start).toBe(true);
    expect(await first.stop()).toBe(0);

    const again = await startServe(home);
    try {
      expect(again.info.first_start).toBe(false);
      expect(again.info.token).not.toBe(first.info.token);
      const hours = (Date.parse(again.info.expires_at ?? "") - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      // The session token works against the API.
      const listed = json<{ items: Array<{ name: string }> }>(
        await opsdojo(home, [
          "services",
          "list",
          "--json",
          "--server",
          again.info.url,
          "--token",
          again.info.token,
        ]),
      );
      expect(listed.items.map((s) => s.name)).toEqual([
        "directory",
        "operations",
        "gamedays",
        "gamedays-team",
        "mining",
        "learning",
      ]);
      // It only reads: a link printed on every start must not be able to change anything.
      const refused = await opsdojo(home, [
        "services",
        "remove",
        "directory",
        "--server",
        again.info.url,
        "--token",
        again.info.token,
      ]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('needs the "write" scope; the token has: read');
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});
