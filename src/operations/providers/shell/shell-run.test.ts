import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { livingWith, uniqueSleep } from "../../../../test/support/processes.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { until } from "../../../../test/support/until.ts";
import { FileBlobStore } from "../../../store/index.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionContext } from "../provider.ts";
import { shellRun } from "./shell-run.ts";

afterAll(removeTempDirs);

async function context(signal: AbortSignal = new AbortController().signal): Promise<ActionContext> {
  return { runId: "run_test", blobs: new FileBlobStore(await tempDir()), signal };
}

describe("shell.run", () => {
  it("runs in its directory with its environment and returns the output", async () => {
    const dir = await tempDir();
    const out = await shellRun.act(
      { command: 'echo "$GREETING" > greeting && pwd', cwd: dir, env: { GREETING: "hello there" } },
      null,
      await context(),
    );
    expect(out).toEqual({ exit_code: 0, stdout: `${dir}\n`, stderr: "" });
    expect(await readFile(join(dir, "greeting"), "utf8")).toBe("hello there\n");
  });

  it("gets PATH, HOME, LANG, LC_*, TZ and its own env: from the server, the rest only with inherit_env", async () => {
    process.env.OPSDOJO_TEST_SERVER_ONLY = "server-only-value";
    process.env.LC_TIME = "C";
    try {
      const show =
        'printf "%s|%s|%s|%s" "$OPSDOJO_TEST_SERVER_ONLY" "$DECLARED" "$LC_TIME" "$(command -v sh)"';
      const minimal = await shellRun.act({ command: show, env: { DECLARED: "d" } }, null, await context());
      expect(minimal.stdout).toMatch(/^\|d\|C\|\/.*sh$/);
      const inherited = await shellRun.act({ command: show, inherit_env: true }, null, await context());
      expect(inherited.stdout).toMatch(/^server-only-value\|\|C\|/);
      expect(() => shellRun.validate({ command: "true", inherit_env: "yes" as never })).toThrow(
        "inherit_env: must be true or false",
      );
    } finally {
      delete process.env.OPSDOJO_TEST_SERVER_ONLY;
      delete process.env.LC_TIME;
    }
  });

  it("fails on a non-zero exit with the last line of stderr, marked retryable", async () => {
    const failure = await shellRun
      .act({ command: "echo 'disk full' >&2; exit 4" }, null, await context())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ActionFailedError);
    expect((failure as ActionFailedError).message).toBe(
      "shell.run: \"echo 'disk full' >&2; exit 4\" exited with 4: disk full",
    );
    expect((failure as ActionFailedError).retryable).toBe(true);
  });

  it("is stopped, SIGTERM-ignoring children included, when its step is cancelled", async () => {
    const controller = new AbortController();
    const dir = await tempDir();
    const sleeper = uniqueSleep();
    const pending = shellRun.act(
      { command: `trap '' TERM; ${sleeper} & echo $! > '${dir}/child.pid'; wait` },
      null,
      await context(controller.signal),
    );
    // Cancelled once the child that ignores SIGTERM runs; had it not been killed, act() would
    // wait for it (1000 s) and the test would time out.
    await until(() => readFile(join(dir, "child.pid"), "utf8").catch(() => undefined), "the child to start");
    controller.abort();
    const failure = await pending.catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/stopped before it finished/);
    await until(async () => (await livingWith(sleeper)).length === 0, "the child to be killed");
  });

  it("refuses bad input by field, and has no automatic undo", async () => {
    expect(() => shellRun.validate({ command: "  " })).toThrow(ActionInputError);
    expect(() => shellRun.validate({ command: "ls", cwd: "relative/dir" })).toThrow(
      /cwd: must be an absolute path/,
    );
    expect(() => shellRun.validate({ command: "ls", env: { "BAD-NAME": "x" } })).toThrow(/env\.BAD-NAME/);
    expect(await shellRun.undo({ command: "ls" }, null, await context())).toMatchObject({
      restored: false,
      reason: expect.stringContaining("undo:"),
    });
  });
});
