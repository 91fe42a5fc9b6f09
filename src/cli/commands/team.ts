import { Command } from "commander";
import { MEMBER_CLASSES, type Member, type MemberCreate, MemberCreateSchema } from "../../gamedays/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type CommandResult, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { type MembersBackend, withMembers } from "../team/members.ts";
import { checkBody, splitList, type TeamContext, withTeam } from "./team-common.ts";
import { showMember, teamInsightCommands } from "./team-insight.ts";
import { teamInterviewCommand } from "./team-interview.ts";
import { describeClass } from "./team-member-text.ts";

export async function addMember(
  members: MembersBackend,
  name: string,
  options: { class: string; skills?: string; displayName?: string },
): Promise<CommandResult> {
  const input = {
    name,
    class: options.class,
    ...(options.skills !== undefined ? { skills: splitList(options.skills) } : {}),
    ...(options.displayName !== undefined ? { display_name: options.displayName } : {}),
  };
  checkBody(MemberCreateSchema, input);
  const member = await members.create(input as MemberCreate);
  return {
    json: member,
    text: (s) => `added ${s.bold(member.name)}, ${describeClass(member)} (${member.id})`,
  };
}

export async function listMembers(
  members: MembersBackend,
  options: { class?: string; showDeleted?: boolean },
): Promise<CommandResult> {
  if (options.class !== undefined && !(MEMBER_CLASSES as readonly string[]).includes(options.class)) {
    throw new UsageError(`--class takes one of ${MEMBER_CLASSES.join(", ")}`, "opsdojo team list");
  }
  const items: Member[] = [];
  let cursor: string | undefined;
  do {
    const page = await members.list({
      sort: "name",
      limit: 500,
      ...(options.class !== undefined ? { filter: `class = "${options.class}"` } : {}),
      ...(options.showDeleted ? { show_deleted: true } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== undefined);
  return {
    json: { items },
    text: (s) =>
      items.length === 0
        ? "no members yet; add one with `opsdojo team add NAME --class sysadmin --skills linux,networking`"
        : table(
            ["NAME", "CLASS", "SKILLS", "ID"],
            items.map((m) => [
              m.deleted_at ? `${m.name} (removed)` : m.name,
              describeClass(m),
              m.skills.join(",") || "-",
              m.id,
            ]),
            s,
          ),
  };
}

export async function removeMember(members: MembersBackend, ref: string): Promise<CommandResult> {
  const member = await members.find(ref);
  await members.remove(member.id);
  const removed = await members.get(member.id);
  return {
    json: removed,
    text: (s) => `removed ${s.bold(member.name)} (${member.id}); their drill history stays`,
  };
}

/** `opsdojo team …`: members, party balance, competence, GM rotation, interviews. */
export function teamCommand(session: Session, run: Runner): Command {
  const command = new Command("team").description(
    "game-day parties and people: members, balance, competence, GM rotation, interviews",
  );
  const using = <T>(cmd: Command, name: string, task: (ctx: TeamContext) => Promise<T>) =>
    withTeam(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo team ${name}`, task);
  // Members are read and changed on a server too; the rest of `team` works on this machine.
  const people = <T>(cmd: Command, name: string, task: (members: MembersBackend) => Promise<T>) =>
    withMembers(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo team ${name}`, task);

  command
    .command("add")
    .description("add a member")
    .argument("<name>", "unique, lower case, e.g. alice")
    .requiredOption("--class <class>", `one of ${MEMBER_CLASSES.join(", ")}`)
    .option("--skills <areas>", "skill areas, comma-separated, e.g. linux,networking")
    .option("--display-name <text>", "how to show the name")
    .addHelpText("after", "\nExample:\n  opsdojo team add alice --class sysadmin --skills linux,networking")
    .action((name: string, options: { class: string; skills?: string; displayName?: string }, cmd: Command) =>
      run(() => people(cmd, "add", (members) => addMember(members, name, options))),
    );

  command
    .command("list")
    .description("list members")
    .option("--class <class>", "only this class")
    .option("--show-deleted", "include removed members")
    .action((options: { class?: string; showDeleted?: boolean }, cmd: Command) =>
      run(() => people(cmd, "list", (members) => listMembers(members, options))),
    );

  command
    .command("show")
    .description("show a member and their competence per skill area")
    .argument("<name-or-id>", "a member's name or id (mem_…)")
    .action((ref: string, _o: unknown, cmd: Command) =>
      run(() => using(cmd, "show", (ctx) => showMember(ctx, ref))),
    );

  command
    .command("remove")
    .description("remove a member (soft delete; drill history keeps their name)")
    .argument("<name-or-id>", "a member's name or id (mem_…)")
    .action((ref: string, _o: unknown, cmd: Command) =>
      run(() => people(cmd, "remove", (members) => removeMember(members, ref))),
    );

  for (const c of teamInsightCommands(session, run)) command.addCommand(c);
  command.addCommand(teamInterviewCommand(session, run));
  return command;
}
