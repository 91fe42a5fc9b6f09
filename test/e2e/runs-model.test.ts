import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const SLOW = { timeout: 300_000 };

/** drain → deploy → verify; verify fails its first `fails` attempts (a counter file per run). */
function operation(dir: string, fails: number) {
  return `opsdojo: operation/v1
name: release-web
targets:
  - { name: web-1 }
steps:
  - name: drain
    uses: noop
  - name: deploy
    uses: noop
  - name: verify
    uses: shell.run
    with: { command: "n=$(cat '${dir}/count' 2>/dev/null || echo 0); echo $((n+1)) > '${dir}/count'; test $n -ge ${fails}" }
    retries: { count: 3 }
`;
}

describe("opsdojo runs model", () => {
  it(
    "mines an operation's runs, serves the model over the API, and flags a run that retries more than ever",
    SLOW,
    async () => {
      const home = await tempDir();
      const run = async (i: number, fails: number) => {
        const dir = await tempDir();
        const file = join(home, `release-${i}.yaml`);
        await writeFile(file, operation(dir, fails));
        const r = await opsdojo(home, ["run", file, "--yes", "--json"]);
        expect(r.code, r.stderr).toBe(0);
        return (JSON.parse(r.stdout) as { id: string }).id;
      };
      for (let i = 0; i < 5; i++) await run(i, 0);

      const json = await opsdojo(home, ["runs", "model", "release-web", "--format", "json"]);
      expect(json.code, json.stderr).toBe(0);
      const model = JSON.parse(json.stdout) as {
        log: { cases: number };
        dfg: { activities: { name: string }[] };
      };
      expect(model.log.cases).toBe(5);
      expect(model.dfg.activities.map((a) => a.name).sort()).toEqual([
        "deploy:done",
        "drain:done",
        "verify:done",
      ]);

      const out = join(home, "release.pnml");
      const written = await opsdojo(home, ["runs", "model", "release-web", "--out", out]);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toContain("release-web: model of 5 completed runs (5 cases, 3 activities)");
      expect(written.stdout).toContain("checked against it live");

      const unknown = await opsdojo(home, ["runs", "model", "no-such-op"]);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('"no-such-op" has no completed run');
      expect(unknown.stderr).not.toMatch(/\n\s+at /);

      // The sixth run needs two retries of verify, which no completed run needed.
      const sixth = await run(5, 2);
      const events = await opsdojo(home, ["runs", "events", sixth, "--json"]);
      expect(events.code, events.stderr).toBe(0);
      const deviations = (
        JSON.parse(events.stdout) as { items: { type: string; data: Record<string, unknown> }[] }
      ).items
        .filter((e) => e.type === "run.deviation")
        .map((e) => e.data);
      expect(deviations).toEqual([
        expect.objectContaining({ kind: "retried", step: "verify", target: "web-1", seen: 1, bound: 0 }),
      ]);

      const server = await startServe(home);
      try {
        const res = await fetch(`${server.info.url}/api/operations/release-web/run-model?format=dot`, {
          headers: { authorization: `Bearer ${server.info.token}` },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as Record<string, unknown>;
        expect(body).toMatchObject({
          operation: "release-web",
          runs: 6,
          cases: 6,
          live_check: true,
          min_history: 5,
          format: "dot",
        });
        expect(body.model).toContain("verify:retried");
        // The run's event stream (SSE) carries it too: it is a journal event like the others.
        const sse = await fetch(`${server.info.url}/api/runs/${sixth}/events`, {
          headers: { authorization: `Bearer ${server.info.token}`, accept: "text/event-stream" },
        });
        expect(sse.status).toBe(200);
        const stream = await sse.text(); // ends: the run is at rest
        const frame = stream.split("\n\n").find((f) => f.includes("event: run.deviation"));
        expect(frame).toBeDefined();
        const data = JSON.parse(
          (frame ?? "")
            .split("\n")
            .find((l) => l.startsWith("data: "))
            ?.slice(6) ?? "{}",
        );
        expect(JSON.stringify(data)).toContain('"kind":"retried"');
        const missing = await fetch(`${server.info.url}/api/operations/no-such-op/run-model`, {
          headers: { authorization: `Bearer ${server.info.token}` },
        });
        expect(missing.status).toBe(404);
      } finally {
        await server.stop();
      }
    },
  );
});
