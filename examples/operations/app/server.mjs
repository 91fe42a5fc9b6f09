#!/usr/bin/env node
// One instance of the example app for roll-config.yaml. It serves GET /health on 127.0.0.1 and
// judges itself by its config file as it is on disk at that moment (re-read on every request,
// like an app with hot reload), so a config rollout shows up in the next health check.
//
//   node server.mjs --dir /tmp/opsdojo-examples/rollout/app-1 --port 18081 [--max-workers 8]
//
// It prints one line of JSON when it listens: {"instance":"app-1","port":18081,"pid":…}.
// --port 0 picks a free port (the tests use that). SIGTERM or SIGINT stops it.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    port: { type: "string", default: "0" },
    "max-workers": { type: "string", default: "8" },
  },
});
if (!values.dir) {
  console.error("usage: server.mjs --dir DIR [--port PORT] [--max-workers N]");
  process.exit(64);
}
const dir = values.dir;
const instance = basename(dir);
// The size of this instance's machine: app-3 is a smaller box in the example fleet.
const maxWorkers = Number(values["max-workers"]);

/** `key=value` lines; `#` comments and blank lines are skipped. */
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

/** What the instance thinks of its config: pass, or fail with the reason. */
function health() {
  let settings;
  try {
    settings = parseConfig(readFileSync(join(dir, "app.conf"), "utf8"));
  } catch (error) {
    return { status: "fail", instance, reason: `cannot use app.conf: ${error.code ?? error.message}` };
  }
  const { release, workers } = settings;
  const base = { instance, release, workers: Number(workers) };
  if (!release) return { ...base, status: "fail", reason: "app.conf sets no release" };
  if (!/^[0-9]+$/.test(workers ?? "") || Number(workers) < 1)
    return { ...base, status: "fail", reason: `workers must be a whole number from 1, got ${workers}` };
  if (Number(workers) > maxWorkers)
    return {
      ...base,
      status: "fail",
      reason: `workers=${workers} is more than this instance can run (at most ${maxWorkers})`,
    };
  return { ...base, status: "pass" };
}

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/health") {
    const body = health();
    response.writeHead(body.status === "pass" ? 200 : 503, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
    return;
  }
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found: try GET /health\n");
});

server.listen(Number(values.port), "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ instance, port, pid: process.pid })}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
