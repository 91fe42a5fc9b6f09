import { createServer, request, type Server } from "node:http";

/** One request as the target received it through the proxy. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly status: number;
}

export interface RecordingProxy {
  readonly url: string;
  readonly seen: Recorded[];
  /** Requests that could have changed something: an unsafe method or any body. */
  writes(): Recorded[];
  stop(): Promise<void>;
}

/**
 * A proxy on loopback in front of a target that keeps every request it forwards, so that a test
 * can say what the target was sent — not what the client under test says it sent.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const seen: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          seen.push({
            method: req.method ?? "GET",
            url: req.url ?? "/",
            body: body.toString("utf8"),
            status: answer.statusCode ?? 0,
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on("error", (error) => {
        seen.push({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          body: body.toString("utf8"),
          status: 0,
        });
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`proxy: ${error.message}`);
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    writes: () => seen.filter((s) => !["GET", "HEAD", "OPTIONS"].includes(s.method) || s.body !== ""),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
