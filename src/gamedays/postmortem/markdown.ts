import { formatSeconds } from "./effect.ts";
import type { Postmortem, PostmortemTimelineItem } from "./postmortem.ts";

/** The postmortem as Markdown, in the order a reader needs it. */
export function renderMarkdown(pm: Postmortem): string {
  const out: string[] = [];
  out.push(`# Postmortem: ${pm.title}`, "");
  out.push(
    `Blameless drill postmortem of game-day session \`${pm.session_id}\` (scenario \`${pm.scenario}\`). A drill, not a real incident.`,
    "",
  );
  const people = pm.participants.map((p) => `${p.name} (${p.role})`).join(", ");
  out.push(`- **Started:** ${pm.started_at}`);
  if (pm.ended_at)
    out.push(`- **Ended:** ${pm.ended_at}${pm.end_reason ? ` — ${pm.end_reason.replaceAll("_", " ")}` : ""}`);
  out.push(`- **People:** ${people || "—"}`, "");

  out.push("## Summary", "", pm.summary, "");

  out.push("## Impact", "");
  if (pm.impact.brief) out.push(`What responders were told: ${quoteInline(pm.impact.brief)}`, "");
  out.push(pm.impact.statement, "");

  out.push("## Timeline", "");
  if (pm.timeline.length === 0) out.push("_Nothing was recorded._", "");
  else {
    out.push("| time (UTC) | T± | who | what |", "|---|---|---|---|");
    for (const t of pm.timeline) out.push(timelineRow(t));
    out.push("");
  }

  out.push("## Metrics", "");
  out.push(
    pm.impact.fault_injected_at
      ? `Measured from the true fault injection at ${pm.impact.fault_injected_at}.`
      : "No fault was injected, so nothing could be measured.",
    "",
  );
  out.push("| metric | value |", "|---|---|");
  for (const m of pm.metrics)
    out.push(`| ${m.label} | ${m.seconds === undefined ? "not reached" : formatSeconds(m.seconds)} |`);
  if (pm.impact.restore_clean !== undefined)
    out.push(`| clean restore | ${pm.impact.restore_clean ? "yes" : "**no**"} |`);
  out.push("");

  if (pm.players_changed.length > 0) {
    out.push("## What the players changed", "");
    out.push(
      "The restore found these changed since the faults went in. What it did: `restore` puts the state before the fault back and keeps the players' version where it says; `keep` leaves theirs.",
      "",
    );
    for (const c of pm.players_changed) {
      out.push(
        `- **${cell(c.resource)}** (fault \`${c.fault}\`, ${c.policy}): before ${cell(c.before)}; after the fault ${cell(c.after_fault)}; found ${cell(c.found)}${c.kept_at ? `; theirs kept at \`${c.kept_at}\`` : ""}`,
      );
      if (c.diff && c.diff !== "no change")
        out.push("", "  ```diff", ...c.diff.split("\n").map((l) => `  ${l}`), "  ```");
    }
    out.push("");
  }

  section(out, "What went well", pm.went_well, "--well");
  section(out, "What went wrong", pm.went_wrong, "--wrong");
  section(out, "Where we got lucky", pm.lucky, "--lucky");

  out.push("## Root cause", "");
  out.push(pm.root_cause ? pm.root_cause : "_The scenario has no GM notes to take the root cause from._", "");

  out.push("## Action items", "");
  if (pm.action_items.length === 0) {
    out.push(`_None yet: \`opsdojo actions add --session ${pm.session_id} --title … --owner …\`._`, "");
  } else {
    out.push("| status | action | owner | due | id |", "|---|---|---|---|---|");
    for (const a of pm.action_items)
      out.push(`| ${a.status} | ${cell(a.title)} | ${cell(a.owner)} | ${a.due_date ?? "—"} | \`${a.id}\` |`);
    out.push("");
  }

  if (pm.effects.length > 0) {
    out.push("## Did earlier action items move the times?", "");
    for (const e of pm.effects) out.push(`- **${cell(e.title)}** (\`${e.action_item_id}\`): ${e.summary}`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function section(out: string[], title: string, items: readonly string[], flag: string): void {
  out.push(`## ${title}`, "");
  if (items.length === 0) out.push(`_Nothing recorded: \`opsdojo gameday retro SESSION ${flag} "…"\`._`);
  else for (const i of items) out.push(`- ${i.replaceAll("\n", " ")}`);
  out.push("");
}

function timelineRow(t: PostmortemTimelineItem): string {
  const offset =
    t.offset_s === undefined ? "" : `${t.offset_s < 0 ? "−" : "+"}${formatSeconds(Math.abs(t.offset_s))}`;
  const who = t.source === "auto" ? "_opsdojo_" : (t.by ?? "—");
  const mark =
    t.kind === "hypothesis" && t.correct === true
      ? " ✔ correct"
      : t.kind === "hypothesis" && t.correct === false
        ? " ✘"
        : "";
  return `| ${t.at.slice(11, 19)} | ${offset} | ${cell(who)} | **${t.kind}**${mark}: ${cell(t.text)} |`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function quoteInline(text: string): string {
  return `“${text.replaceAll("\n", " ").trim()}”`;
}
