import { describe, expect, it } from "vitest";
import type { SessionInjects } from "./api-types.ts";
import { gmInjects } from "./gm-injects.ts";

type Item = SessionInjects["items"][number];
const start = Date.parse("2026-05-01T10:00:00.000Z");
const at = (minutes: number) => start + minutes * 60_000;

const item = (over: Partial<Item>): Item => ({
  id: "inject-1",
  type: "inject",
  at: "5m",
  at_ms: 300_000,
  due_at: "2026-05-01T10:05:00.000Z",
  text: "A customer calls.",
  released: false,
  released_at: null,
  early: null,
  by: null,
  ...over,
});

describe("the GM's injects", () => {
  it("lists what is to come with a countdown, then what went out, text escaped", () => {
    const html = gmInjects(
      [
        item({
          id: "angry",
          from: "support",
          text: "Order <late>",
          released: true,
          released_at: "2026-05-01T10:05:00.000Z",
        }),
        item({ id: "ceo", at: "12m", due_at: "2026-05-01T10:12:00.000Z", text: "The CEO asks." }),
        item({
          id: "hint-1",
          type: "hint",
          at: "6m",
          due_at: "2026-05-01T10:06:00.000Z",
          text: "Look at lag.",
        }),
      ],
      2,
      at(7),
    );
    expect(html).toContain("(2 of 3)");
    const [upcoming, released] = html.split("<h4>Released</h4>") as [string, string];
    expect(upcoming).toContain('data-id="ceo"');
    expect(upcoming).toContain("in 5 min 0 s");
    expect(upcoming).toContain('title="at 12m from the start"');
    // A hint past its time that the session has not released yet (it releases at its next check).
    expect(upcoming).toContain('status warn" title="at 6m from the start">due now');
    expect(upcoming).not.toContain("angry");
    expect(released).toContain('data-id="angry"');
    expect(released).toContain("from support:");
    expect(released).toContain("Order &#60;late&#62;");
  });

  it("says how many injects there are, and no more, to a token that may not read them", () => {
    const html = gmInjects(null, 2, at(1));
    expect(html).toContain("2 injects in this scenario");
    expect(html).toContain("execute scope");
    expect(gmInjects(null, null, at(1))).toBe("");
  });
});
