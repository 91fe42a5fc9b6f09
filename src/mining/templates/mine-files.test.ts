import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { parseCsv } from "./csv.ts";
import { compileLogFormat } from "./log-format.ts";
import { mineFiles, resolveFormat } from "./mine-files.ts";
import { readStateFile, writeStateFile } from "./state.ts";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "opsdojo-mine-test-"));
  dirs.push(dir);
  return dir;
}

const FORMAT = "<Date> <Time> <Level> <Component>: <Content>";

describe("mineFiles", () => {
  it("continues a second file from the first one's state: same ids for the same templates", async () => {
    const dir = await temp();
    const day1 = join(dir, "day1.log");
    const day2 = join(dir, "day2.log.gz");
    await writeFile(
      day1,
      [
        "2024-05-01 10:00:00 INFO db: connected to 10.0.0.1:5432 in 12 ms",
        "2024-05-01 10:00:01 WARN http: slow request /api/users took 900 ms",
        "2024-05-01 10:00:02 INFO db: connected to 10.0.0.2:5432 in 15 ms",
        "",
      ].join("\n"),
    );
    await writeFile(
      day2,
      await promisify(gzip)(
        [
          "2024-05-02 09:00:00 WARN http: slow request /api/orders took 1200 ms",
          "2024-05-02 09:00:01 ERROR disk: volume /dev/sda1 is 97% full",
          "2024-05-02 09:00:02 INFO db: connected to 10.0.0.3:5432 in 9 ms",
        ].join("\r\n"),
      ),
    );
    const format = compileLogFormat(FORMAT);
    const first = await mineFiles([day1], { format, assignments: join(dir, "a1.csv") });
    const state = join(dir, "templates.json");
    await writeStateFile(state, first.miner.state(FORMAT));
    const ids1 = parseCsv(await readFile(join(dir, "a1.csv"), "utf8"));
    expect(ids1).toEqual([
      ["line", "template_id", "template"],
      ["1", "1", "connected to <*> in <*> ms"],
      ["2", "2", "slow request <*> took <*> ms"],
      ["3", "1", "connected to <*> in <*> ms"],
    ]);

    const saved = await readStateFile(state);
    const resumed = await resolveFormat({ state: saved });
    expect(resumed.origin).toBe("state");
    const second = await mineFiles([day2], {
      format: resumed.format,
      state: saved,
      assignments: join(dir, "a2.csv"),
    });
    const ids2 = parseCsv(await readFile(join(dir, "a2.csv"), "utf8")).slice(1);
    expect(ids2.map((r) => r[1])).toEqual(["2", "3", "1"]);
    expect(second.miner.template(1)?.count).toBe(3);
    expect(second.files).toEqual([{ file: day2, lines: 3, unmatched: 0 }]);
  });

  it("uses the whole line as the message when the header does not fit, and counts it", async () => {
    const dir = await temp();
    const file = join(dir, "mixed.log");
    await writeFile(file, "2024-05-01 10:00:00 INFO db: ok\nno header at all\n");
    const result = await mineFiles([file], { format: compileLogFormat(FORMAT) });
    expect(result.files[0]?.unmatched).toBe(1);
    expect(result.miner.templates().map((t) => t.tokens.join(" "))).toEqual(["ok", "no header at all"]);
  });

  it("refuses a state file that is not one", async () => {
    const dir = await temp();
    const file = join(dir, "bad.json");
    await writeFile(
      file,
      JSON.stringify({ version: 1, nextId: 2, templates: [{ id: 5, tokens: ["x"], count: 1 }] }),
    );
    await expect(readStateFile(file)).rejects.toThrow(/templates\[0\]\.id/);
    await writeFile(file, "{");
    await expect(readStateFile(file)).rejects.toThrow(/not JSON/);
    expect(await readStateFile(join(dir, "missing.json"))).toBeUndefined();
  });

  it("detects the header format from the first lines when none is given", async () => {
    const dir = await temp();
    const file = join(dir, "auth.log");
    await writeFile(file, "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n");
    const resolved = await resolveFormat({ firstFile: file });
    expect(resolved).toMatchObject({ origin: "detected", preset: "syslog" });
  });
});
