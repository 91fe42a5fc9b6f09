import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../core/index.ts";
import type { Directory } from "./directory.ts";
import { HISTORY_SWEEP_MS } from "./health-history.ts";
import { HealthPoller, healthUrlFor, probe, probeInstance, type Resolver } from "./health-poller.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
let base = "";
const seen: Array<{ url: string | undefined; accept: string | undefined; host?: string | undefined }> = [];

const routes: Record<string, Handler> = {
  "/pass": (_req, res) =>
    res.writeHead(200, { "content-type": "application/health+json" }).end('{"status":"pass"}'),
  "/warn": (_req, res) =>
    res.writeHead(200, { "content-type": "application/health+json" }).end('{"status":"warn"}'),
  "/fail": (_req, res) =>
    res.writeHead(503, { "content-type": "application/health+json" }).end('{"status":"fail"}'),
  "/plain-ok": (_req, res) => res.writeHead(204).end(),
  "/plain-503": (_req, res) => res.writeHead(503).end("down"),
  "/odd-status": (_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'),
  "/hang": () => {},
  "/moved": (_req, res) => res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
};

function listen(handler: Handler): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    servers.push(server);
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

beforeAll(async () => {
  base = await listen((req, res) => {
    seen.push({ url: req.url, accept: req.headers.accept, host: req.headers.host });
    (routes[req.url ?? ""] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe("healthUrlFor", () => {
  it("resolves a path against each instance's base URL, with or without a trailing slash", () => {
    expect(healthUrlFor({ health_url: "/health" }, "http://a:1")).toBe("http://a:1/health");
    expect(healthUrlFor({ health_url: "/health" }, "http://a:1/")).toBe("http://a:1/health");
    expect(healthUrlFor({ health_url: "/v1/health" }, "http://a:1/prefix")).toBe(
      "http://a:1/prefix/v1/health",
    );
  });

  it("uses an absolute health URL as it is", () => {
    expect(healthUrlFor({ health_url: "https://status.example/x" }, "http://a:1")).toBe(
      "https://status.example/x",
    );
  });
});

describe("probe", () => {
  it("takes the status an application/health+json body reports", async () => {
    expect(await probe(`${base}/pass`, { timeoutMs: 2000 })).toEqual({ status: "pass", detail: null });
    expect(await probe(`${base}/warn`, { timeoutMs: 2000 })).toEqual({
      status: "warn",
      detail: "reported warn (HTTP 200)",
    });
    expect(await probe(`${base}/fail`, { timeoutMs: 2000 })).toEqual({
      status: "fail",
      detail: "reported fail (HTTP 503)",
    });
    expect(seen.at(-1)?.accept).toBe("application/health+json, application/json");
  });

  it("falls back to the HTTP status when the body reports nothing it knows", async () => {
    expect(await probe(`${base}/plain-ok`, { timeoutMs: 2000 })).toEqual({ status: "pass", detail: null });
    expect(await probe(`${base}/odd-status`, { timeoutMs: 2000 })).toEqual({ status: "pass", detail: null });
    expect(await probe(`${base}/plain-503`, { timeoutMs: 2000 })).toEqual({
      status: "fail",
      detail: "HTTP 503",
    });
    expect(await probe(`${base}/nowhere`, { timeoutMs: 2000 })).toEqual({
      status: "fail",
      detail: "HTTP 404",
    });
  });

  it("reports a refused connection and an unanswered request as fail, saying why", async () => {
    const closed = await listen(() => {});
    const server = servers.pop() as Server;
    await new Promise((r) => server.close(r));
    expect(await probe(`${closed}/health`, { timeoutMs: 2000 })).toEqual({
      status: "fail",
      detail: "ECONNREFUSED",
    });
    // A real (short) timeout: the probe's own deadline is what is being tested.
    expect(await probe(`${base}/hang`, { timeoutMs: 100 })).toEqual({
      status: "fail",
      detail: "no answer within 100 ms",
    });
  });
});

/** Names resolved as a hostile DNS would; anything else goes to the system resolver. */
function resolverOf(names: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error("unknown"), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

describe("what the poller refuses to fetch", () => {
  const none = { allow: [] };
  const options = { timeoutMs: 2000 };

  it("fetches a path on the instance and an absolute URL on the instance's own origin", async () => {
    expect(await probeInstance({ health_url: "/pass" }, base, none, options)).toEqual({
      status: "pass",
      detail: null,
    });
    expect(await probeInstance({ health_url: `${base}/warn` }, `${base}/api`, none, options)).toMatchObject({
      status: "warn",
    });
  });

  it("refuses another origin unless the allow-list names it, and says how to allow it", async () => {
    const other = "http://127.0.0.1:9";
    const count = seen.length;
    const refused = await probeInstance({ health_url: `${base}/pass` }, other, none, options);
    expect(refused).toEqual({
      status: "fail",
      detail: `not polled: the health URL's origin ${base} is not the instance's (${other}) nor in the server's allow-list; use a path on the instance, or start the server with --health-allow ${base}`,
    });
    expect(seen.length).toBe(count);
    expect(await probeInstance({ health_url: `${base}/pass` }, other, { allow: [base] }, options)).toEqual({
      status: "pass",
      detail: null,
    });
  });

  it("refuses link-local and metadata hosts, written as names or as any spelling of the address", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://0xA9FEA9FE/",
      "http://[fe80::1]/",
      "http://[::ffff:169.254.169.254]/",
      "http://[fd00:ec2::254]/",
      "http://metadata.google.internal./computeMetadata/v1/",
    ]) {
      const result = await probeInstance({ health_url: url }, new URL(url).origin, { allow: [] }, options);
      expect(result.status, url).toBe("fail");
      expect(result.detail, url).toMatch(
        /^not polled: the instance's base_url points at .*\((a link-local or cloud metadata address|a cloud metadata host)\)$/,
      );
    }
  });

  it("refuses a name that resolves to a metadata address, before connecting", async () => {
    const resolve = resolverOf({ "innocent.test": ["127.0.0.1", "169.254.169.254"] });
    const result = await probeInstance({ health_url: "/pass" }, "http://innocent.test", none, {
      ...options,
      resolve,
    });
    expect(result).toEqual({
      status: "fail",
      detail:
        "not polled: innocent.test resolves to 169.254.169.254 (a link-local or cloud metadata address)",
    });
  });

  it("connects to the address it checked, sending the name as Host", async () => {
    const port = new URL(base).port;
    const resolve = resolverOf({ "svc.test": ["127.0.0.1"] });
    const result = await probeInstance({ health_url: "/pass" }, `http://svc.test:${port}`, none, {
      ...options,
      resolve,
    });
    expect(result).toEqual({ status: "pass", detail: null });
    expect(seen.at(-1)).toMatchObject({ url: "/pass", host: `svc.test:${port}` });
  });

  it("does not follow a redirect", async () => {
    expect(await probe(`${base}/moved`, options)).toEqual({
      status: "fail",
      detail: "HTTP 302 (redirects are not followed)",
    });
  });

  it("never shows credentials from the URL, and does not send them", async () => {
    const withUser = base.replace("http://", "http://admin:hunter2@");
    const count = seen.length;
    for (const [health, instance] of [
      ["/pass", withUser],
      [`${withUser}/pass`, base],
    ] as const) {
      const result = await probeInstance({ health_url: health }, instance, none, options);
      expect(result.status).toBe("fail");
      expect(result.detail).toMatch(/carries credentials \(user:password@host\)/);
      expect(result.detail).not.toMatch(/hunter2|admin/);
    }
    expect(seen.length).toBe(count);
    // An error from the network is named by its code, never by a message that could quote the URL.
    const unknown = await probe("http://token-abc123.invalid/health?token=abc123", {
      ...options,
      resolve: resolverOf({}),
    });
    expect(unknown).toEqual({ status: "fail", detail: "ENOTFOUND" });
  });
});

describe("HealthPoller timers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A directory with nothing to poll that counts how often the poller asks. */
  function countingDirectory() {
    const asked = { count: 0, sweeps: 0 };
    const directory = {
      pollTargets: async () => {
        asked.count++;
        return [];
      },
      sweepHistory: async () => {
        asked.sweeps++;
        return 0;
      },
    } as unknown as Directory;
    return { asked, directory };
  }

  it("polls at once on start, then every interval, and not at all after stop", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    const { asked, directory } = countingDirectory();
    const poller = new HealthPoller(directory, new ManualClock());
    poller.start(1000);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.count).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(asked.count).toBe(4);
    await poller.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(asked.count).toBe(4);
  });

  it("sweeps old health history on its first poll, then once an hour by its clock", async () => {
    const { asked, directory } = countingDirectory();
    const clock = new ManualClock();
    const poller = new HealthPoller(directory, clock);
    await poller.pollOnce();
    expect(asked.sweeps).toBe(1);
    clock.advance(HISTORY_SWEEP_MS - 1);
    await poller.pollOnce();
    expect(asked.sweeps).toBe(1);
    clock.advance(1);
    await poller.pollOnce();
    expect([asked.count, asked.sweeps]).toEqual([3, 2]);
  });

  it("does not poll when stopped right after start", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    const { asked, directory } = countingDirectory();
    const poller = new HealthPoller(directory, new ManualClock());
    poller.start(1000);
    await poller.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(asked.count).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
