import { describe, expect, it } from "vitest";
import { UnknownPresetError } from "./errors.ts";
import { detectFormat, PRESETS, presetFormat } from "./presets.ts";

describe("presets and detection", () => {
  it("every preset reads its own example", () => {
    for (const preset of PRESETS) {
      expect(presetFormat(preset.name).content(preset.example), preset.name).toBeTypeOf("string");
    }
  });

  it("detects a preset from the first lines, preferring the one with more fields", () => {
    const sshd = [
      "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
      "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
    ];
    expect(detectFormat(sshd).preset).toBe("syslog");
    const hdfs = [
      "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38 terminating",
    ];
    expect(detectFormat(hdfs).preset).toBe("log4j-pid");
    expect(detectFormat(['{"ts":1,"level":"info","msg":"started"}']).preset).toBe("json");
  });

  it("falls back to the whole line when nothing fits", () => {
    const detection = detectFormat(["just some words", "and more words here"]);
    expect(detection.preset).toBe("plain");
    expect(detection.format.content("just some words")).toBe("just some words");
  });

  it("reads the message of JSON lines and keeps the other fields as the header", () => {
    const json = presetFormat("json");
    expect(json.content('{"level":"warn","message":"disk 91% full"}')).toBe("disk 91% full");
    expect(json.parse('{"level":"warn","msg":"x","n":3}')).toEqual({ Content: "x", level: "warn", n: "3" });
    expect(json.content("not json")).toBeUndefined();
  });

  it("names the presets when asked for one that does not exist", () => {
    expect(() => presetFormat("nope")).toThrow(UnknownPresetError);
    expect(() => presetFormat("nope")).toThrow(/syslog/);
  });
});
