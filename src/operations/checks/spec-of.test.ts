import { describe, expect, it } from "vitest";
import type { Check } from "../model/index.ts";
import { checkPlan, findCheckPlan } from "./spec-of.ts";

describe("a check's plan", () => {
  it("takes the kind and body, its own name or `<kind> <what>`, and `within` in ms", () => {
    expect(
      findCheckPlan({ http: { url: "http://127.0.0.1:8080/health", status: 200 }, within: "5s" }),
    ).toEqual({
      spec: { kind: "http", url: "http://127.0.0.1:8080/health", status: 200 },
      name: "http http://127.0.0.1:8080/health",
      withinMs: 5000,
    });
    expect(checkPlan({ command: { run: "true" } }).name).toBe("command true");
    expect(checkPlan({ file: { path: "/tmp/x" } }).name).toBe("file /tmp/x");
    expect(checkPlan({ tcp: { host: "db", port: 5432 } })).toMatchObject({
      name: "tcp db:5432",
      withinMs: 0,
    });
    expect(checkPlan({ name: "api up", tcp: { host: "db", port: 5432 } }).name).toBe("api up");
  });

  it("is absent for a check of no known kind, and checkPlan says so", () => {
    const odd = { name: "odd", ping: { host: "db" } } as unknown as Check;
    expect(findCheckPlan(odd)).toBeUndefined();
    expect(() => checkPlan(odd)).toThrow("a check has none of http, command, file, tcp");
  });
});
