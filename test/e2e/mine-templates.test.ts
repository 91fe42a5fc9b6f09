import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/mining/templates/index.ts";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const DAY1 = [
  "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
  "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2",
  "Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]",
  "Dec 10 07:07:38 LabSZ sshd[24206]: Failed password for root from 52.80.34.196 port 36060 ssh2",
  "",
].join("\n");

const DAY2 = [
  "Dec 11 08:00:01 LabSZ sshd[25000]: Connection closed by 10.0.0.9 [preauth]",
  "Dec 11 08:00:02 LabSZ sshd[25001]: Received disconnect from 10.0.0.9: 11: Bye Bye [preauth]",
  "Dec 11 08:00:03 LabSZ sshd[25002]: Failed password for ftp from 10.0.0.7 port 2222 ssh2",
].join("\n");

describe("opsdojo mine templates", () => {
  it("mines a log, writes its state and assignments, and continues a .gz with the same ids", async () => {
    const dir = await tempDir();
    const day1 = join(dir, "auth.log");
    const day2 = join(dir, "auth.log.2.gz");
    const state = join(dir, "templates.json");
    await writeFile(day1, DAY1);
    await writeFile(day2, await promisify(gzip)(DAY2));

    const first = await opsdojo(dir, [
      "mine",
      "templates",
      day1,
      "--state",
      state,
      "--assignments",
      join(dir, "1.csv"),
      "--json",
    ]);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.format).toEqual({
      source: expect.stringContaining("<Content>"),
      origin: "detected",
      preset: "syslog",
    });
    expect(report.messages).toBe(4);
    expect(report.items).toEqual([
      { id: 1, count: 1, template: "Invalid user webmaster from <*>" },
      { id: 2, count: 2, template: "Failed password for <*> from <*> port <*> ssh2" },
      { id: 3, count: 1, template: "Connection closed by <*> [preauth]" },
    ]);
    expect(parseCsv(await readFile(join(dir, "1.csv"), "utf8")).map((r) => r[1])).toEqual([
      "template_id",
      "1",
      "2",
      "3",
      "2",
    ]);

    const second = await opsdojo(dir, [
      "mine",
      "templates",
      day2,
      "--state",
      state,
      "--assignments",
      join(dir, "2.csv"),
      "--json",
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).format.origin).toBe("state");
    const rows = parseCsv(await readFile(join(dir, "2.csv"), "utf8"));
    expect(rows.slice(1)).toEqual([
      ["1", "3", "Connection closed by <*> [preauth]"],
      ["2", "4", "Received disconnect from <*>: <*>: Bye Bye [preauth]"],
      ["3", "2", "Failed password for <*> from <*> port <*> ssh2"],
    ]);
    const saved = JSON.parse(await readFile(state, "utf8"));
    expect(saved.templates.map((t: { id: number; count: number }) => [t.id, t.count])).toEqual([
      [1, 1],
      [2, 3],
      [3, 2],
      [4, 1],
    ]);
  });

  it("prints a table by default and CSV with --format csv, with the header format given", async () => {
    const dir = await tempDir();
    const file = join(dir, "hdfs.log");
    await writeFile(
      file,
      [
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
        "081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_-6952295868487656571 terminating",
        "081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864",
      ].join("\n"),
    );
    const format = "<Date> <Time> <Pid> <Level> <Component>: <Content>";
    const text = await opsdojo(dir, ["mine", "templates", file, "--log-format", format]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatchInlineSnapshot(`
      "2 templates from 3 messages in 1 file; header given: <Date> <Time> <Pid> <Level> <Component>: <Content>
      ID  COUNT  TEMPLATE
      1   2      PacketResponder <*> for block <*> terminating
      2   1      BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>
      "
    `);
    const csv = await opsdojo(dir, ["mine", "templates", file, "--log-format", format, "--format", "csv"]);
    expect(parseCsv(csv.stdout)).toEqual([
      ["id", "count", "template"],
      ["1", "2", "PacketResponder <*> for block <*> terminating"],
      ["2", "1", "BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>"],
    ]);
  });

  it("refuses a missing file (3), a bad format (3), and --log-format with --preset (64)", async () => {
    const dir = await tempDir();
    const missing = await opsdojo(dir, ["mine", "templates", join(dir, "nope.log")]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("cannot read");
    const file = join(dir, "a.log");
    await writeFile(file, "hello 1\n");
    const bad = await opsdojo(dir, ["mine", "templates", file, "--log-format", "<Date> <Time>"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("no <Content> field");
    const both = await opsdojo(dir, [
      "mine",
      "templates",
      file,
      "--log-format",
      "<Content>",
      "--preset",
      "syslog",
    ]);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain("not both");
  });

  it("documents itself in --help", async () => {
    const dir = await tempDir();
    const help = await opsdojo(dir, ["mine", "templates", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: opsdojo mine templates [options] <file...>");
    expect(help.stdout).toContain("--assignments <file>");
    const group = await opsdojo(dir, ["mine", "--help"]);
    expect(group.stdout).toContain("templates");
  });
});
