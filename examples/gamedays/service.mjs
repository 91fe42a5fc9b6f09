#!/usr/bin/env node
// The little "orders" service the example game days break. It serves GET /health on 127.0.0.1
// and judges itself on every request by what is on disk at that moment:
//
//   - DIR/app.conf must parse (key=value lines) and set db_url to a postgres:// URL and workers to
//     a whole number from 1 — otherwise 503 (the broken-config scenario);
//   - DIR/data (its "disk") must hold at most --quota bytes — otherwise 507 (the full-disk scenario).
//
//   node service.mjs --dir /tmp/opsdojo-gamedays/orders --port 18091 [--quota 1048576]
//
// It prints one line of JSON when it listens: {"port":18091,"pid":…}. --port 0 picks a free
// port (the tests use that). SIGTERM or SIGINT stops it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    port: { type: "string", default: "0" },
    quota: { type: "string", default: String(1024 * 1024) },
  },
});
if (!values.dir) {
  console.error("usage: service.mjs --dir DIR [--port PORT] [--quota BYTES]");
  process.exit(64);
}
const dir = values.dir;
const quota = Number(values.quota);

function parseConfig(text) {
  const settings = {};
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) throw new Error(`not a key=value line: ${JSON.stringify(trimmed)}`);
    settings[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return settings;
}

function used(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + used(join(path, name)), 0);
}

function health() {
  let settings;
  try {
    settings = parseConfig(readFileSync(join(dir, "app.conf"), "utf8"));
  } catch (error) {
    return [503, { status: "fail", reason: `cannot use app.conf: ${error.code ?? error.message}` }];
  }
  if (!/^postgres:\/\/[^\s]+$/.test(settings.db_url ?? ""))
    return [
      503,
      { status: "fail", reason: `cannot reach the database: db_url=${settings.db_url ?? "(unset)"}` },
    ];
  if (!/^[1-9][0-9]*$/.test(settings.workers ?? ""))
    return [
      503,
      { status: "fail", reason: `workers must be a whole number from 1, got ${settings.workers}` },
    ];
  let bytes;
  try {
    bytes = used(join(dir, "data"));
  } catch (error) {
    return [503, { status: "fail", reason: `cannot read the data volume: ${error.code ?? error.message}` }];
  }
  if (bytes > quota)
    return [507, { status: "fail", reason: `no space left on the data volume (${bytes} of ${quota} bytes)` }];
  return [200, { status: "pass", workers: Number(settings.workers), data_bytes: bytes }];
}

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/health") {
    const [code, body] = health();
    response.writeHead(code, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
    return;
  }
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found: try GET /health\n");
});

server.listen(Number(values.port), "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, pid: process.pid })}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
