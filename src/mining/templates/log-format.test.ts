import { describe, expect, it } from "vitest";
import { InvalidLogFormatError } from "./errors.ts";
import { compileLogFormat } from "./log-format.ts";

describe("LogPAI header formats", () => {
  it("captures each <Field> and takes the rest of the line as <Content>", () => {
    const f = compileLogFormat("<Date> <Time> <Pid> <Level> <Component>: <Content>");
    const line =
      "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38 terminating";
    expect(f.fields).toEqual(["Date", "Time", "Pid", "Level", "Component", "Content"]);
    expect(f.parse(line)).toEqual({
      Date: "081109",
      Time: "203615",
      Pid: "148",
      Level: "INFO",
      Component: "dfs.DataNode$PacketResponder",
      Content: "PacketResponder 1 for block blk_38 terminating",
    });
    expect(f.content(line)).toBe("PacketResponder 1 for block blk_38 terminating");
  });

  it("lets a space in the format match any run of whitespace", () => {
    const f = compileLogFormat("<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>");
    expect(f.parse("03-17 16:13:38.811  1702  2395 D WindowManager: hello there")?.Tid).toBe("2395");
    expect(f.content("03-17\t16:13:38.811 1702 2395   D WindowManager: hello there")).toBe("hello there");
  });

  it("keeps the regular-expression parts of a format (optional groups, escapes)", () => {
    const f = compileLogFormat(
      "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>",
    );
    const withPid =
      "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed";
    const withoutPid = "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 kernel: ACPI: ready";
    expect(f.parse(withPid)).toMatchObject({
      Component: "crond(pam_unix)",
      PID: "2915",
      Content: "session closed",
    });
    expect(f.content(withoutPid)).toBe("ACPI: ready");
    expect(
      compileLogFormat("<Time>\\|<Component>\\|<Pid>\\|<Content>").content("20171223|Step_LSC|300|onStand 3"),
    ).toBe("onStand 3");
  });

  it("answers undefined for a line that does not have the format's shape", () => {
    const f = compileLogFormat("\\[<Time>\\] \\[<Level>\\] <Content>");
    expect(f.content("no brackets here")).toBeUndefined();
    expect(f.parse("no brackets here")).toBeUndefined();
  });

  it("splits as the regular expression does, also where its first choices fail", () => {
    // `<B>` empty: the fast path gives up and the expression backtracks.
    const f = compileLogFormat("<A> <B> <C> <Content>");
    expect(f.content("a  c rest of it")).toBe(f.parse("a  c rest of it")?.Content);
    const g = compileLogFormat("<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>");
    const line =
      "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200";
    expect(g.content(line)).toBe("Notification time out: 3200");
    expect(g.parse(line)?.Id).toBe("774");
  });

  it("refuses formats without <Content>, with repeated or odd field names, or broken expressions", () => {
    expect(() => compileLogFormat("<Date> <Time>")).toThrow(InvalidLogFormatError);
    expect(() => compileLogFormat("<A> <A> <Content>")).toThrow(/appears twice/);
    expect(() => compileLogFormat("<a b> <Content>")).toThrow(/not a plain name/);
    expect(() => compileLogFormat("(<A> <Content>")).toThrow(/not a valid regular expression/);
  });
});
