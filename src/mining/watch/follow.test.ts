import { appendFile, rename, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { followLines } from "./follow.ts";

afterAll(removeTempDirs);

/** Drives the follower by hand: it waits at the end of the file until the test wakes it. */
function driver() {
  let pending: (() => void) | undefined;
  let notify: (() => void) | undefined;
  return {
    idle: () =>
      new Promise<void>((resolve) => {
        pending = resolve;
        notify?.();
        notify = undefined;
      }),
    /** Resolves once the follower is waiting at the end of the file. */
    waiting: () =>
      new Promise<void>((resolve) => {
        if (pending) resolve();
        else notify = resolve;
      }),
    wake: () => {
      const p = pending;
      pending = undefined;
      p?.();
    },
  };
}

describe("followLines", () => {
  it("reads to the end and stops without --follow, giving a last line without newline", async () => {
    const dir = await tempDir();
    const file = join(dir, "app.log");
    await writeFile(file, "one\r\ntwo\nthree");
    const lines: string[] = [];
    for await (const l of followLines(file)) lines.push(l);
    expect(lines).toEqual(["one", "two", "three"]);
  });

  it("follows a growing file across rotation (rename + recreate) and truncation, holding back unfinished lines", async () => {
    const dir = await tempDir();
    const file = join(dir, "app.log");
    await writeFile(file, "one\ntwo\n");
    const d = driver();
    const stop = new AbortController();
    const lines = followLines(file, { follow: true, signal: stop.signal, idle: d.idle });
    expect((await lines.next()).value).toBe("one");
    expect((await lines.next()).value).toBe("two");

    let next = lines.next();
    await d.waiting();
    await appendFile(file, "three\n"); // written just before the rotation: still read
    await rename(file, join(dir, "app.log.1"));
    await writeFile(file, "four\nfi");
    d.wake();
    expect((await next).value).toBe("three");
    expect((await lines.next()).value).toBe("four"); // from the new file, from its start

    next = lines.next();
    await d.waiting(); // "fi" is held back: not a line yet
    await appendFile(file, "ve\n");
    d.wake();
    expect((await next).value).toBe("five");

    next = lines.next();
    await d.waiting();
    await truncate(file, 0);
    await writeFile(file, "six\n");
    d.wake();
    expect((await next).value).toBe("six");

    next = lines.next();
    await d.waiting();
    stop.abort();
    d.wake();
    expect((await next).done).toBe(true);
  });
});
