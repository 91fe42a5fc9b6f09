import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { CursorCodec } from "../../api/index.ts";
import { randomSecret, systemClock } from "../../core/index.ts";
import { Directory } from "../../directory/index.ts";
import { type RunningServer, serve } from "../../server/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { serviceHealth } from "../commands/services.ts";
import type { Session } from "../context.ts";
import { describeFailure } from "../exit-codes.ts";
import { type CommandResult, styleFor } from "../output.ts";
import type { ServicesBackend } from "./backend.ts";
import { openLocalServices } from "./local-backend.ts";
import { remoteServices } from "./remote-backend.ts";

/**
 * `services health` on one store, read directly and through a real server on loopback serving
 * it: the same text and the same JSON either way.
 */
let store: Store;
let server: RunningServer;
let home: string;
const plain = styleFor(false);
const printed = (r: CommandResult) => ({ json: JSON.parse(JSON.stringify(r.json)), text: r.text(plain) });
let instances: Server;
let A = "";
let B = "";
/** The history's instants: within the last hour, so the running server's sweep keeps them. */
const start = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();

beforeAll(async () => {
  // Both instances answer pass, as the seeded history ends: when the server's poller polls them
  // it records no transition of its own.
  instances = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/health+json" }).end('{"status":"pass"}'),
  );
  await new Promise<void>((r) => instances.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(instances.address() as AddressInfo).port}`;
  A = `${origin}/a`;
  B = `${origin}/b`;
  home = await tempDir();
  store = await openStore({ home });
  const directory = new Directory({ store, clock: systemClock, cursors: new CursorCodec(randomSecret(32)) });
  const service = await directory.create({
    name: "ledger",
    owner: "payments",
    instances: [{ base_url: A }, { base_url: B }],
  });
  const polls = [
    [A, "pass", null, at(0)],
    [B, "pass", null, at(1)],
    [A, "fail", "HTTP 503", at(5)],
    [A, "pass", null, at(9)],
  ] as const;
  for (const [base_url, status, detail, checked_at] of polls)
    await directory.recordHealth(service.id, { base_url, status, detail, checked_at });
  directory.close();
  server = await serve({ store, host: "127.0.0.1", port: 0, services: ["directory"], logger: false });
}, 120_000);
afterAll(async () => {
  await server?.close();
  instances?.closeAllConnections();
  await new Promise((r) => instances?.close(r));
  await store?.close();
  await removeTempDirs();
});

async function local<T>(task: (s: ServicesBackend) => Promise<T>): Promise<T> {
  const session: Session = { env: { OPSDOJO_HOME: home }, warnings: [] };
  const services = await openLocalServices(session.env);
  try {
    return await task(services);
  } finally {
    await services.close();
  }
}
const remote = <T>(task: (s: ServicesBackend) => Promise<T>) =>
  task(remoteServices({ url: server.url, token: server.login.token, warn: () => {} }));
const both = async <T>(task: (s: ServicesBackend) => Promise<T>): Promise<[T, T]> => [
  await local(task),
  await remote(task),
];

describe("services health: local store and server", () => {
  it("prints the transitions newest first, the same on both", async () => {
    const [here, there] = await both((s) => serviceHealth(s, "ledger", {}));
    expect(printed(there)).toEqual(printed(here));
    const masked = here
      .text(plain)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>  ")
      .replace(/http:\/\/127\.0\.0\.1:\d+/g, "<origin>");
    expect(masked.split("\n").map((line) => line.trimEnd())).toEqual([
      "ledger: health changes, newest first",
      expect.stringMatching(/^AT +INSTANCE +CHANGE +DETAIL$/),
      expect.stringMatching(/^<time> +<origin>\/a +fail -> pass$/),
      expect.stringMatching(/^<time> +<origin>\/a +pass -> fail +HTTP 503$/),
      expect.stringMatching(/^<time> +<origin>\/b +unknown -> pass$/),
      expect.stringMatching(/^<time> +<origin>\/a +unknown -> pass$/),
    ]);
    expect(here.text(plain)).toContain(`${at(9)}  ${A}`);
    const json = here.json as { items: Array<{ status: string; previous_status: string; detail?: string }> };
    expect(json.items[1]).toMatchObject({ previous_status: "pass", status: "fail", detail: "HTTP 503" });
  });

  it("pages with --limit and --cursor, and filters by --instance and --since, the same on both", async () => {
    const [first, firstThere] = await both((s) => serviceHealth(s, "ledger", { limit: "1", instance: B }));
    expect(printed(firstThere)).toEqual(printed(first));
    const page = first.json as { items: unknown[]; next_cursor?: string };
    expect(page.items).toHaveLength(1);
    expect(page.next_cursor).toBeUndefined();
    const [recent, recentThere] = await both((s) => serviceHealth(s, "ledger", { since: at(4), limit: "1" }));
    expect(printed(recentThere)).toEqual(printed(recent));
    const cursor = (recent.json as { next_cursor?: string }).next_cursor;
    expect(recent.text(plain)).toContain(`more: add --cursor ${cursor}`);
    const [rest] = await both((s) =>
      serviceHealth(s, "ledger", {
        since: at(4),
        limit: "1",
        ...(cursor ? { cursor } : {}),
      }),
    );
    expect((rest.json as { items: Array<{ at: string }> }).items.map((e) => e.at)).toEqual([at(5)]);
  });

  it("refuses a bad --since before asking anyone, and an unknown service the same on both", async () => {
    const [bad, badThere] = await both((s) =>
      serviceHealth(s, "ledger", { since: "last tuesday" }).then(
        () => undefined,
        (error: unknown) => describeFailure(error),
      ),
    );
    expect(badThere).toEqual(bad);
    expect(bad?.message).toContain('--since "last tuesday" is not a date-time');
    const [missing, missingThere] = await both((s) =>
      serviceHealth(s, "nope", {}).then(
        () => undefined,
        (error: unknown) => describeFailure(error),
      ),
    );
    expect(missingThere).toEqual(missing);
    expect(missing?.message).toContain('service "nope" does not exist');
  });
});
