import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { FileBlobStore } from "../../../store/index.ts";
import { ActionFailedError } from "../errors.ts";
import type { ActionContext } from "../provider.ts";
import { httpRequest } from "./http-request.ts";

let server: Server;
let base: string;
const received: Array<{ method: string; url: string; body: string; type: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body,
        type: req.headers["content-type"] ?? "",
      });
      if (req.url === "/flags") {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "flag-7", enabled: true }));
      } else {
        res.writeHead(503, { "content-type": "text/plain" });
        res.end("maintenance");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeTempDirs();
});

async function context(): Promise<ActionContext> {
  return {
    runId: "run_test",
    blobs: new FileBlobStore(await tempDir()),
    signal: new AbortController().signal,
  };
}

describe("http.request", () => {
  it("sends a JSON body and returns status, headers and the parsed body for later steps", async () => {
    const out = await httpRequest.act(
      { method: "post", url: `${base}/flags`, body: { name: "new-checkout" }, status: 201 },
      null,
      await context(),
    );
    expect(out.status).toBe(201);
    expect(out.body).toEqual({ id: "flag-7", enabled: true });
    expect(received.at(-1)).toEqual({
      method: "POST",
      url: "/flags",
      body: '{"name":"new-checkout"}',
      type: "application/json",
    });
  });

  it("fails on an unexpected status; 5xx is worth a retry", async () => {
    const failure = (await httpRequest
      .act({ url: `${base}/down` }, null, await context())
      .catch((e: unknown) => e)) as ActionFailedError;
    expect(failure).toBeInstanceOf(ActionFailedError);
    expect(failure.message).toContain("answered 503, expected 2xx: maintenance");
    expect(failure.retryable).toBe(true);
  });

  it("validates its input by field and has no automatic undo", async () => {
    expect(() => httpRequest.validate({ url: "not a url" })).toThrow(/url: "not a url" is not a URL/);
    expect(() => httpRequest.validate({ url: "file:///etc/passwd" })).toThrow(/must be http/);
    expect(() => httpRequest.validate({ url: base, method: "BREW" })).toThrow(/method/);
    expect(await httpRequest.undo({ url: base }, null, await context())).toMatchObject({ restored: false });
  });
});
