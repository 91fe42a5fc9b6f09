import { afterAll, describe, expect, it } from "vitest";
import { motoMissing, startMotoServer } from "./moto-server.ts";
import { removeTempDirs, tempDir } from "./temp.ts";

afterAll(removeTempDirs);

describe("moto-server", () => {
  it("says how to install moto_server when it is not on PATH (the AWS tests then fail, not skip)", async () => {
    const empty = await tempDir();
    expect(motoMissing({ ...process.env, PATH: empty })).toMatch(/pip install 'moto\[server\]'/);
  });

  it("starts moto_server on loopback, answering, and stops it", async () => {
    const moto = await startMotoServer();
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${moto.endpoint}/moto-api/`)).ok).toBe(true);
    await moto.stop();
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  }, 120_000);
});
