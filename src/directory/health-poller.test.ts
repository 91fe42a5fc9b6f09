import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../core/index.ts";
import type { Directory } from "./directory.ts";
import { HealthPoller, healthUrlFor, probe } from "./health-poller.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
let base = "";
const seen: Array<{ url: string | undefined; accept: string | undefined }> = [];

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
    seen.push({ url: req.url, accept: req.headers.accept });
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
    expect(await probe(`${base}/pass`, 2000)).toEqual({ status: "pass", detail: null });
    expect(await probe(`${base}/warn`, 2000)).toEqual({ status: "warn", detail: "reported warn (HTTP 200)" });
    expect(await probe(`${base}/fail`, 2000)).toEqual({ status: "fail", detail: "reported fail (HTTP 503)" });
    expect(seen.at(-1)?.accept).toBe("application/health+json, application/json");
  });

  it("falls back to the HTTP status when the body reports nothing it knows", async () => {
    expect(await probe(`${base}/plain-ok`, 2000)).toEqual({ status: "pass", detail: null });
    expect(await probe(`${base}/odd-status`, 2000)).toEqual({ status: "pass", detail: null });
    expect(await probe(`${base}/plain-503`, 2000)).toEqual({ status: "fail", detail: "HTTP 503" });
    expect(await probe(`${base}/nowhere`, 2000)).toEqual({ status: "fail", detail: "HTTP 404" });
  });

  it("reports a refused connection and an unanswered request as fail, saying why", async () => {
    const closed = await listen(() => {});
    const server = servers.pop() as Server;
    await new Promise((r) => server.close(r));
    expect(await probe(`${closed}/health`, 2000)).toEqual({ status: "fail", detail: "ECONNREFUSED" });
    // A real (short) timeout: the probe's own deadline is what is being tested.
    expect(await probe(`${base}/hang`, 100)).toEqual({ status: "fail", detail: "no answer within 100 ms" });
  });
});

describe("HealthPoller timers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A directory with nothing to poll that counts how often the poller asks. */
  function countingDirectory() {
    const asked = { count: 0 };
    const directory = {
      pollTargets: async () => {
        asked.count++;
        return [];
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
