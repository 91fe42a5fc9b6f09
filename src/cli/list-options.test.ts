import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { collectEach, collectList } from "./list-options.ts";

function parse(collector: typeof collectEach, args: string[]): string[] | undefined {
  const program = new Command().exitOverride().option("--param <k=v>", "", collector);
  program.parse(args, { from: "user" });
  return program.opts<{ param?: string[] }>().param;
}

describe("repeatable options", () => {
  it("keeps each --param whole: a value may hold a comma", () => {
    expect(parse(collectEach, ["--param", "hosts=a,b", "--param", "token=x,y=z"])).toEqual([
      "hosts=a,b",
      "token=x,y=z",
    ]);
  });

  it("splits a list option on commas and across repeats, dropping blanks", () => {
    expect(parse(collectList, ["--param", "read, write", "--param", "execute,"])).toEqual([
      "read",
      "write",
      "execute",
    ]);
  });
});
