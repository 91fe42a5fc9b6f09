import { describe, expect, it } from "vitest";
import { messageOf } from "./message-of.ts";

describe("messageOf", () => {
  it("reads an Error's message, or its name when it has none", () => {
    expect(messageOf(new Error("no such file"))).toBe("no such file");
    expect(messageOf(new TypeError(""))).toBe("TypeError");
  });

  it("says something for whatever else was thrown", () => {
    expect(messageOf("stopped")).toBe("stopped");
    expect(messageOf({ message: "from a worker" })).toBe("from a worker");
    expect(messageOf({ code: 7 })).toBe('{"code":7}');
    expect(messageOf(undefined)).toBe("undefined");
    expect(messageOf(null)).toBe("null");
    expect(messageOf(42)).toBe("42");
  });

  it("does not throw on a value JSON cannot write", () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(messageOf(loop)).toBe("[object Object]");
  });
});
