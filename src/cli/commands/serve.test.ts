import { EventEmitter } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import type { Session } from "../context.ts";
import { styleFor } from "../output.ts";
import { parseClusterTiming, runServe, type StopSignals } from "./serve.ts";

afterAll(removeTempDirs);

/** SIGINT/SIGTERM delivered by the test instead of the OS. */
function signals(): StopSignals & { emit(signal: "SIGTERM"): void } {
  return new EventEmitter() as never;
}

describe("opsdojo serve", () => {
  it("warns when it binds beyond loopback and shows the address it truly bound", async () => {
    const session: Session = { env: { OPSDOJO_HOME: await tempDir() }, warnings: [] };
    const stop = signals();
    const result = await runServe(session, { host: "0.0.0.0", port: "0" }, stop);
    try {
      const json = result.json as { listen: string; url: string };
      expect(json.listen).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const text = result.text(styleFor(false));
      expect(text.split("\n")[0]).toMatch(/ on http:\/\/0\.0\.0\.0:\d+$/);
      expect(session.warnings).toHaveLength(1);
      expect(session.warnings[0]).toContain(`listening on ${json.listen} (every network interface)`);
    } finally {
      stop.emit("SIGTERM");
      await result.running;
    }
  });

  it("says nothing more on loopback, and refuses an allow-list entry that names no action", async () => {
    const session: Session = { env: { OPSDOJO_HOME: await tempDir() }, warnings: [] };
    const stop = signals();
    const result = await runServe(session, { host: "127.0.0.1", port: "0", allowActions: "file.*" }, stop);
    try {
      expect(session.warnings).toEqual([]);
      expect((result.json as { allow_actions: string[] }).allow_actions).toEqual(["file.*"]);
    } finally {
      stop.emit("SIGTERM");
      await result.running;
    }
    await expect(
      runServe(session, { host: "127.0.0.1", port: "0", allowActions: "file.*,shell.runn" }, signals()),
    ).rejects.toThrow('--allow-actions: "shell.runn" is not an action or a family such as file.*');
    await expect(
      runServe(session, { host: "127.0.0.1", port: "0", filesRoot: "/no/such/dir" }, signals()),
    ).rejects.toThrow('--files-root "/no/such/dir" is not a directory');
  });
});

describe("serve --lease and --poll", () => {
  it("reads durations from the flags, else the environment; nothing given, the defaults apply", () => {
    expect(parseClusterTiming({ lease: "10s", poll: "250ms" }, {})).toEqual({ leaseMs: 10_000, pollMs: 250 });
    expect(parseClusterTiming({}, { OPSDOJO_LEASE: "1m", OPSDOJO_POLL: "2s" })).toEqual({
      leaseMs: 60_000,
      pollMs: 2000,
    });
    expect(parseClusterTiming({ lease: "45s" }, { OPSDOJO_LEASE: "1m" })).toEqual({ leaseMs: 45_000 });
    expect(parseClusterTiming({}, {})).toEqual({});
  });

  it("refuses a lease too short to be renewed, or a poll that is not a duration, naming where it came from", () => {
    expect(() => parseClusterTiming({ lease: "1s" }, {})).toThrow(
      '--lease "1s" must be a duration from 3000ms to 3600s, such as 30s',
    );
    expect(() => parseClusterTiming({}, { OPSDOJO_POLL: "often" })).toThrow(
      'OPSDOJO_POLL "often" must be a duration from 10ms to 60s, such as 500ms',
    );
  });
});
