import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// `npm install` warns (and a strict install fails) when a package in the tree wants a newer Node
// than the one we promise in package.json. We promise the lowest Node 20 we support, so every
// locked package must accept it. (cookie@2 needs Node 22 and came in through light-my-request;
// package.json overrides it with cookie@1.1, which has the same API on Node 18+.)
const root = join(import.meta.dirname, "..", "..");
const ours = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { engines?: Record<string, string> | string[]; dev?: boolean }>;
};

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const parts = text.replace(/^v/, "").split(".");
  const num = (i: number): number => {
    const p = parts[i];
    return p === undefined || p === "x" || p === "*" ? 0 : Number.parseInt(p, 10);
  };
  return [num(0), num(1), num(2)];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// Enough of npm's range grammar for what engines fields say: `||` of space-separated comparators
// (>=, >, <, <=, ^, ~, bare or x-ranges).
function admits(range: string, version: string): boolean {
  const v = parseVersion(version);
  return range.split("||").some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean);
    return comparators.every((c) => admitsOne(c, v));
  });
}

function admitsOne(comparator: string, v: Version): boolean {
  if (comparator === "*" || comparator === "x") return true;
  const match = /^(>=|<=|>|<|\^|~|=)?(.*)$/.exec(comparator);
  const op = match?.[1] ?? "";
  const target = parseVersion(match?.[2] ?? "0");
  const c = compare(v, target);
  switch (op) {
    case ">=":
      return c >= 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case "^":
      return c >= 0 && v[0] === target[0];
    case "~":
      return c >= 0 && v[0] === target[0] && v[1] === target[1];
    default: {
      // A bare or x-range (20.x, 20, 6.*) pins the parts it names.
      const named = (match?.[2] ?? "").split(".").filter((p) => p !== "x" && p !== "*").length;
      return v.slice(0, named).every((part, i) => part === target[i]);
    }
  }
}

const lowest = (/\d+(\.\d+)*/.exec(ours.engines.node)?.[0] ?? "").padEnd(1, "0");

describe("the Node version we promise", () => {
  it("reads the ranges engines fields use", () => {
    expect(admits(">=22", "20.19.0")).toBe(false);
    expect(admits(">=18", "20.19.0")).toBe(true);
    expect(admits("^20.19.0 || >=22.12.0", "20.19.0")).toBe(true);
    expect(admits("^20.19.0 || >=22.12.0", "21.0.0")).toBe(false);
    expect(admits("20.x || 22.x", "20.19.0")).toBe(true);
    expect(admits(">= 0.8", "20.19.0")).toBe(true);
    expect(admits(">=6 <7 || >=8", "20.19.0")).toBe(true);
  });

  it("is accepted by every package in package-lock.json", () => {
    expect(lowest).toMatch(/^20\./);
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== "")
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !admits(range, lowest) ? [`${path} wants node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
