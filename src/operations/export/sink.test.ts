import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ExportOutputError } from "./errors.ts";
import { streamSink } from "./sink.ts";

afterAll(removeTempDirs);

/** A writable that holds each chunk until `release()` — a reader slower than the export. */
function slowReader() {
  const received: string[] = [];
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _encoding, callback) {
      pending.push(() => {
        received.push(chunk.toString());
        callback();
      });
    },
  });
  const release = () => {
    for (const done of pending.splice(0)) done();
  };
  return { stream, received, release };
}

describe("streamSink", () => {
  it("waits while the stream's buffer is full, so a slow reader slows the export down", async () => {
    const reader = slowReader();
    const sink = streamSink(reader.stream, "test", { end: true });
    let written = false;
    const writing = sink.write("more than four bytes").then(() => {
      written = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(false);
    reader.release();
    await writing;
    expect(written).toBe(true);
    const ending = sink.end();
    reader.release();
    await ending;
    expect(reader.received).toEqual(["more than four bytes"]);
  });

  it("writes and closes a file", async () => {
    const file = join(await tempDir(), "log.csv");
    const sink = streamSink(createWriteStream(file), file, { end: true });
    await sink.write("a,b\r\n");
    await sink.write("");
    await sink.write("1,2\r\n");
    await sink.end();
    expect(await readFile(file, "utf8")).toBe("a,b\r\n1,2\r\n");
  });

  it("turns a stream error into ExportOutputError: refused for a missing directory", async () => {
    const file = join(await tempDir(), "missing", "log.xes");
    const sink = streamSink(createWriteStream(file), file, { end: true });
    await sink.write("<log/>").catch(() => {});
    const failure = await sink.end().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExportOutputError);
    expect((failure as ExportOutputError).kind).toBe("invalid");
    expect((failure as ExportOutputError).message).toContain(`cannot write the event log to ${file}`);
    await expect(sink.write("more")).rejects.toBe(failure);
  });

  it("knows a reader that went away (EPIPE) from a failure", async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const sink = streamSink(stream, "stdout", { end: false });
    await sink.write("x").catch(() => {});
    const failure = await sink.write("y").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExportOutputError);
    expect((failure as ExportOutputError).readerGone).toBe(true);
    expect((failure as ExportOutputError).kind).toBe("unavailable");
  });
});
