import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { type ApiApp, createApiCore } from "./core.ts";

let store: Store;
let app: ApiApp;
let port: number;
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({
    store,
    clock: new ManualClock(),
    rateLimit: { quota: 10_000, windowSeconds: 60 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

/** Send raw bytes on a real connection and read everything until the server closes it. */
function raw(bytes: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(":");
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
    });
    socket.end(bytes);
  });
}

describe("a request the HTTP parser cannot read", () => {
  it("gets a problem body, not Node's bare 400, and never an echo of what was sent", async () => {
    for (const [request, reason] of [
      ["GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n", /request line|HTTP version|request target/],
      ["GET / HTTP/1.1\r\nHost: x\r\nBad Header: odj_secret\r\n\r\n", /header name contains characters/],
      ["NOT_A_METHOD_odj_secret / HTTP/1.1\r\n\r\n", /method/],
      [
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        /Transfer-Encoding came with Content-Length/,
      ],
    ] as const) {
      const answer = await raw(request);
      expect(answer.status, request).toBe(400);
      expect(answer.headers["content-type"]).toBe("application/problem+json");
      expect(answer.headers.connection).toBe("close");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      const problem = JSON.parse(answer.body);
      expect(problem).toEqual({
        type: "/problems/malformed-request",
        title: expect.any(String),
        status: 400,
        detail: expect.stringMatching(/^the request cannot be read as HTTP\/1\.1: /),
        instance: `urn:opsdojo:request:${answer.headers["x-request-id"]}`,
      });
      expect(problem.detail, request).toMatch(reason);
      expect(answer.body).not.toContain("odj_secret");
    }
  });

  it("answers headers over the limit with 431 and a problem body", async () => {
    const answer = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(answer.body)).toMatchObject({ type: "about:blank", status: 431 });
  });

  it("leaves well-formed requests alone", async () => {
    const answer = await raw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(200);
  });
});
