import { CLASS_TITLES, type Member } from "../../gamedays/index.ts";
import type { Style } from "../output.ts";

// A member as `team add`, `team list` and `team show` print it: a file of its own, so that the
// commands that print members need not import each other (team.ts loads team-insight.ts).

export function describeClass(m: Pick<Member, "class">): string {
  return `${m.class} (${CLASS_TITLES[m.class]})`;
}

export function describeMember(m: Member, s: Style): string {
  const lines = [
    `${s.bold(m.name)}${m.display_name !== m.name ? ` — ${m.display_name}` : ""}`,
    `  class:  ${describeClass(m)}`,
    `  skills: ${m.skills.join(", ") || "-"}`,
    `  id:     ${m.id}`,
  ];
  if (m.deleted_at) lines.push(`  ${s.red(`removed ${m.deleted_at}`)}`);
  return lines.join("\n");
}
