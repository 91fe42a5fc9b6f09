import { describe, expect, it } from "vitest";
import type { PostmortemInput } from "./input.ts";
import { renderMarkdown } from "./markdown.ts";
import type { ActionItem } from "./model.ts";
import { buildPostmortem } from "./postmortem.ts";

const item: ActionItem = {
  id: "act_1",
  title: "Alert on an empty config file",
  owner: "bob",
  due_date: "2026-02-01",
  status: "open",
  session_id: "gds_1",
  scenario: "disk-full-on-app-1",
  notes: "",
  created_at: "2026-01-10T11:00:00.000Z",
  updated_at: "2026-01-10T11:00:00.000Z",
  etag: "e",
};

function input(overrides: Partial<PostmortemInput> = {}): PostmortemInput {
  return {
    session: {
      id: "gds_1",
      scenario: {
        name: "disk-full-on-app-1",
        title: "The Silent Disk",
        brief: "Customers report 500s on checkout.",
        gm_notes: "The config was replaced by an empty file.",
      },
      participants: [
        { name: "alice", role: "gm" },
        { name: "bob", role: "primary" },
        { name: "carol", role: "secondary" },
      ],
      started_at: "2026-01-10T10:00:00.000Z",
      ended_at: "2026-01-10T10:20:00.000Z",
      end_reason: "resolved",
      restore_clean: true,
    },
    timeline: [
      { at: "2026-01-10T10:03:05.000Z", source: "human", kind: "ack", text: "looking", by: "bob" },
      { at: "2026-01-10T10:00:00.000Z", source: "auto", kind: "session.started", text: "session started" },
      {
        at: "2026-01-10T10:01:00.000Z",
        source: "auto",
        kind: "fault.injected",
        text: "empty-config injected",
      },
      {
        at: "2026-01-10T10:01:02.000Z",
        source: "auto",
        kind: "objective.failing",
        text: "checkout-works failing",
      },
      {
        at: "2026-01-10T10:06:00.000Z",
        source: "human",
        kind: "hypothesis",
        text: "config | empty?",
        by: "carol",
        correct: true,
      },
      {
        at: "2026-01-10T10:13:00.000Z",
        source: "auto",
        kind: "objective.passing",
        text: "checkout-works passing",
      },
    ],
    metrics: {
      fault_injected_at: "2026-01-10T10:01:00.000Z",
      time_to_detect_s: 125,
      time_to_acknowledge_s: 125,
      time_to_correct_hypothesis_s: 300,
      time_to_mitigate_s: 720,
      time_to_resolve_s: 730,
      restore_clean: true,
    },
    retro: [
      { id: "r1", session_id: "gds_1", kind: "well", text: "Fast ack", by: "alice", created_at: "x" },
      { id: "r2", session_id: "gds_1", kind: "wrong", text: "No alert fired", created_at: "x" },
      { id: "r3", session_id: "gds_1", kind: "lucky", text: "Only staging traffic", created_at: "x" },
    ],
    action_items: [item],
    ...overrides,
  };
}

describe("postmortem", () => {
  it("builds the JSON document field by field", () => {
    const pm = buildPostmortem(input());
    expect(pm.session_id).toBe("gds_1");
    expect(pm.title).toBe("The Silent Disk");
    expect(pm.drill).toBe(true);
    expect(pm.gm).toBe("alice");
    expect(pm.summary).toBe(
      'On 2026-01-10 bob (primary) and carol (secondary) worked the drill "The Silent Disk", run by alice as game master. The fault went in at 2026-01-10T10:01:00.000Z; the team detected it after 2m05s, acknowledged it after 2m05s, named the cause after 5m00s, mitigated it after 12m00s and resolved it after 12m10s. The session ended: resolved.',
    );
    // timeline sorted by time, with offsets from the injection
    expect(pm.timeline.map((t) => t.kind)).toEqual([
      "session.started",
      "fault.injected",
      "objective.failing",
      "ack",
      "hypothesis",
      "objective.passing",
    ]);
    expect(pm.timeline.map((t) => t.offset_s)).toEqual([-60, 0, 2, 125, 300, 720]);
    // degraded from the first failing objective (10:01:02) to the resolution (10:01:00 + 730 s)
    expect(pm.impact.degraded_s).toBe(728);
    expect(pm.impact.restore_clean).toBe(true);
    expect(pm.impact.stop_condition_tripped).toBe(false);
    expect(pm.metrics.find((m) => m.name === "time_to_resolve_s")?.seconds).toBe(730);
    expect(pm.went_well).toEqual(["Fast ack (alice)"]);
    expect(pm.went_wrong).toEqual(["No alert fired"]);
    expect(pm.lucky).toEqual(["Only staging traffic"]);
    expect(pm.root_cause).toBe("The config was replaced by an empty file.");
    expect(pm.action_items.map((a) => a.id)).toEqual(["act_1"]);
  });

  it("counts the hints released before the cause was named", () => {
    const base = input();
    const hint = (at: string) => ({ at, source: "auto" as const, kind: "hint.released", text: "hint" });
    const pm = buildPostmortem({
      ...base,
      timeline: [...base.timeline, hint("2026-01-10T10:04:00.000Z"), hint("2026-01-10T10:07:00.000Z")],
    });
    expect(pm.summary).toContain("One hint was released before the cause was named.");
  });

  it("says what was not reached instead of inventing times", () => {
    const pm = buildPostmortem(
      input({
        metrics: { fault_injected_at: "2026-01-10T10:01:00.000Z", restore_clean: false },
        session: { ...input().session, end_reason: "timebox", restore_clean: false },
      }),
    );
    expect(pm.summary).toContain("the team did not detect it.");
    expect(pm.summary).toContain("The incident was not resolved during the session.");
    expect(pm.impact.statement).toContain("NOT restored cleanly");
    const md = renderMarkdown(pm);
    expect(md).toContain("| time to resolve | not reached |");
    expect(md).toContain("| clean restore | **no** |");
  });

  it("renders Markdown with every section in order", () => {
    const md = renderMarkdown(buildPostmortem(input()));
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      "Summary",
      "Impact",
      "Timeline",
      "Metrics",
      "What went well",
      "What went wrong",
      "Where we got lucky",
      "Root cause",
      "Action items",
    ]);
    expect(md.startsWith("# Postmortem: The Silent Disk\n")).toBe(true);
    expect(md).toContain("| 10:06:00 | +5m00s | carol | **hypothesis** ✔ correct: config \\| empty? |");
    expect(md).toContain("| 10:00:00 | −1m00s | _opsdojo_ | **session.started**: session started |");
    expect(md).toContain("| time to detect | 2m05s |");
    expect(md).toContain("- Fast ack (alice)");
    expect(md).toContain("| open | Alert on an empty config file | bob | 2026-02-01 | `act_1` |");
    expect(md).toContain("What responders were told: “Customers report 500s on checkout.”");
  });

  it("points at the commands when retro and action items are empty", () => {
    const md = renderMarkdown(buildPostmortem(input({ retro: [], action_items: [] })));
    expect(md).toContain('_Nothing recorded: `opsdojo gameday retro SESSION --well "…"`._');
    expect(md).toContain("_None yet: `opsdojo actions add --session gds_1 --title … --owner …`._");
  });

  it("adds the effect of earlier action items when there are some", () => {
    const md = renderMarkdown(
      buildPostmortem(
        input({
          effects: [
            {
              action_item_id: "act_0",
              title: "Disk alert",
              sessions_before: 1,
              sessions_after: 1,
              metrics: [],
              summary: "time to detect faster by 3m00s",
            },
          ],
        }),
      ),
    );
    expect(md).toContain("## Did earlier action items move the times?");
    expect(md).toContain("- **Disk alert** (`act_0`): time to detect faster by 3m00s");
  });
});
