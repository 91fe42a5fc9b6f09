import { describe, expect, it } from "vitest";
import { TemplateMiner } from "./miner.ts";
import { foldDigits, numberAsParameter } from "./numbered-names.ts";
import { compileToken, tokenMatches } from "./token-pattern.ts";

describe("numbered names", () => {
  it("folds digits and writes the number as a parameter", () => {
    expect(foldDigits("eth3")).toBe("eth0");
    expect(foldDigits("started")).toBe("started");
    expect(numberAsParameter("jk2_init()")).toBe("jk<*>_init()");
    expect(numberAsParameter("tbird-admin5")).toBe("tbird-admin<*>");
  });

  it("lets a numbered name in a template fit the same name with another number, and nothing else", () => {
    const pattern = compileToken("eth3");
    expect(tokenMatches(pattern, "eth7")).toBe(true);
    expect(tokenMatches(pattern, "eth3")).toBe(true);
    expect(tokenMatches(pattern, "wlan3")).toBe(false);
    expect(tokenMatches(pattern, "ethx")).toBe(false);
    expect(tokenMatches(compileToken("started"), "startes")).toBe(false);
  });

  it("does so in a token that already holds a parameter (`'{<*>}Copy5/…'`), first token `<*>,` or not", () => {
    const miner = new TemplateMiner();
    const line = (n: number) =>
      `2016-09-28 04:30:31, Info hive '{bf1a968b}GLOBALROOT/Copy${n}/Windows/x' loaded`;
    const ids = [5, 7, 2].map((n) => miner.resolve(miner.add(line(n))));
    expect(new Set(ids).size).toBe(1);
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual([
      "<*>, Info hive '{<*>}GLOBALROOT/Copy<*>/Windows/x' loaded",
    ]);
  });

  it("keeps one template when only a name's number changes, and writes the number as a parameter", () => {
    const miner = new TemplateMiner();
    const a = miner.add("link up on eth3 speed 1000");
    expect(miner.template(a)?.tokens.join(" ")).toBe("link up on eth3 speed <*>");
    const b = miner.add("link up on eth7 speed 100");
    expect(miner.resolve(b)).toBe(miner.resolve(a));
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual(["link up on eth<*> speed <*>"]);
  });

  it("learns that a name's number varies when nothing else in the line changes (one cached skeleton)", () => {
    const miner = new TemplateMiner();
    const a = miner.add("link up on eth3 speed 1000");
    expect(miner.add("link up on eth3 speed 1000")).toBe(a);
    expect(miner.template(a)?.tokens.join(" ")).toBe("link up on eth3 speed <*>");
    expect(miner.add("link up on eth7 speed 1000")).toBe(a);
    expect(miner.template(a)?.tokens.join(" ")).toBe("link up on eth<*> speed <*>");
    expect(miner.add("link up on eth5 speed 1000")).toBe(a);
    expect(miner.size).toBe(1);
  });

  it("does not multiply templates when a name's number varies beside another parameter", () => {
    // Two positions vary at once (user and `sshN`): without digit-blind families each pair of
    // values would found its own template.
    const miner = new TemplateMiner();
    const users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace"];
    users.forEach((u, i) => {
      miner.add(`Failed password for ${u} from 10.0.0.${i} port 22 ssh${i}`);
    });
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual([
      "Failed password for <*> from <*> port <*> ssh<*>",
    ]);
  });

  it("does so on the first word too (`jk2_init()`, `jk7_init()`)", () => {
    const miner = new TemplateMiner();
    for (const n of [2, 7, 0, 5]) miner.add(`jk${n}_init() Found child 6736 in scoreboard slot 10`);
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual([
      "jk<*>_init() Found child <*> in scoreboard slot <*>",
    ]);
  });

  it("merges differently named sources once their names vary in number (`[Thunderbird_A1]`)", () => {
    const miner = new TemplateMiner();
    for (const letter of ["A", "B", "C", "D"])
      for (const n of [1, 2])
        miner.add(`data_thread() got not answer from any [Thunderbird_${letter}${n}] datasource`);
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual([
      "data_thread() got not answer from any [<*>] datasource",
    ]);
  });

  it("keeps one varying name apart from plain words in its place (`SOCKS<*>` beside `HTTPS`)", () => {
    const miner = new TemplateMiner();
    for (const n of [5, 7, 2]) {
      miner.add(`q.example.com:80 open through proxy p.example.com:5070 SOCKS${n}`);
      miner.add("q.example.com:80 open through proxy p.example.com:5070 HTTPS");
    }
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual([
      "<*> open through proxy <*> SOCKS<*>",
      "<*> open through proxy <*> HTTPS",
    ]);
  });

  it("keeps a name with one number as it is written", () => {
    const miner = new TemplateMiner();
    miner.add("Failed password for root from 10.0.0.1 port 22 ssh2");
    miner.add("Failed password for root from 10.0.0.2 port 23 ssh2");
    expect(miner.templates().map((t) => t.tokens.join(" "))).toEqual([
      "Failed password for <*> from <*> port <*> ssh2",
    ]);
  });
});
