import { Command } from "commander";
import {
  ACTION_STATUSES,
  type ActionItem,
  type ActionItemCreate,
  ActionItemCreateSchema,
  type ActionStatus,
  compareActionEffect,
  formatSeconds,
  scenarioRuns,
  TeamInvalidError,
} from "../../gamedays/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { checkBody, type TeamContext, withTeam } from "./team-common.ts";

interface AddOptions {
  readonly title: string;
  readonly owner: string;
  readonly due?: string;
  readonly session?: string;
  readonly scenario?: string;
  readonly notes?: string;
}

/** The scenario a session played, so that items from a postmortem can be measured on re-runs. */
async function scenarioOf(ctx: TeamContext, sessionId: string): Promise<string> {
  const row = await ctx.store.db
    .selectFrom("gameday_sessions")
    .select("scenario_name")
    .where("id", "=", sessionId)
    .executeTakeFirst();
  if (!row) {
    throw new TeamInvalidError(
      `session ${sessionId} does not exist; \`opsdojo gameday list\` shows the sessions`,
      "/session_id",
    );
  }
  return row.scenario_name;
}

export async function addAction(ctx: TeamContext, options: AddOptions): Promise<CommandResult> {
  const scenario =
    options.scenario ?? (options.session !== undefined ? await scenarioOf(ctx, options.session) : undefined);
  const input = {
    title: options.title,
    owner: options.owner,
    ...(options.due !== undefined ? { due_date: options.due } : {}),
    ...(options.session !== undefined ? { session_id: options.session } : {}),
    ...(scenario !== undefined ? { scenario } : {}),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
  };
  checkBody(ActionItemCreateSchema, input);
  const item = await ctx.actions.create(input as ActionItemCreate);
  return {
    json: item,
    text: (s) => `added action item ${s.bold(item.id)}: ${item.title} (owner ${item.owner})`,
  };
}

export async function listActions(
  ctx: TeamContext,
  options: { status?: string; owner?: string; session?: string; scenario?: string },
): Promise<CommandResult> {
  if (options.status !== undefined && !(ACTION_STATUSES as readonly string[]).includes(options.status)) {
    throw new UsageError(`--status takes one of ${ACTION_STATUSES.join(", ")}`, "opsdojo actions list");
  }
  const quote = (v: string) => JSON.stringify(v);
  const terms = [
    options.status !== undefined ? `status = ${quote(options.status)}` : undefined,
    options.owner !== undefined ? `owner = ${quote(options.owner)}` : undefined,
    options.session !== undefined ? `session_id = ${quote(options.session)}` : undefined,
    options.scenario !== undefined ? `scenario = ${quote(options.scenario)}` : undefined,
  ].filter((t): t is string => t !== undefined);
  const items: ActionItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.actions.list({
      sort: "created_at",
      limit: 500,
      ...(terms.length > 0 ? { filter: terms.join(" AND ") } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== undefined);
  return {
    json: { items },
    text: (s) =>
      items.length === 0
        ? "no action items match; add one with `opsdojo actions add --title … --owner …`"
        : table(
            ["ID", "STATUS", "OWNER", "DUE", "TITLE"],
            items.map((a) => [a.id, statusText(a.status, s), a.owner, a.due_date ?? "-", a.title]),
            s,
          ),
  };
}

export async function closeAction(
  ctx: TeamContext,
  id: string,
  status: ActionStatus,
): Promise<CommandResult> {
  const item = await ctx.actions.update(id, { status });
  return {
    json: item,
    text: (s) =>
      `${item.id} is ${statusText(item.status, s)}: ${item.title}${
        item.status === "done" && item.scenario
          ? `\nre-run ${item.scenario}, then \`opsdojo actions show ${item.id}\` tells whether it moved the times`
          : ""
      }`,
  };
}

/** One item, and for a done item whether later runs of its scenario were faster. */
export async function showAction(ctx: TeamContext, id: string): Promise<CommandResult> {
  const item = await ctx.actions.get(id);
  const effect =
    item.scenario !== undefined
      ? compareActionEffect(item, await scenarioRuns(ctx.store, ctx.core.clock, item.scenario))
      : compareActionEffect(item, []);
  return {
    json: { ...item, effect },
    text: (s) => {
      const lines = [
        `${s.bold(item.id)} ${statusText(item.status, s)}: ${item.title}`,
        `  owner:    ${item.owner}`,
        `  due:      ${item.due_date ?? "-"}`,
        `  session:  ${item.session_id ?? "-"}`,
        `  scenario: ${item.scenario ?? "-"}`,
      ];
      if (item.closed_at) lines.push(`  closed:   ${item.closed_at}`);
      if (item.notes) lines.push(`  notes:    ${item.notes}`);
      lines.push(`  effect:   ${effect.summary}`);
      const measured = effect.metrics.filter((m) => m.before_s !== undefined || m.after_s !== undefined);
      if (measured.length > 0) {
        const t = (v: number | undefined) => (v === undefined ? "-" : formatSeconds(v));
        lines.push(
          table(
            ["METRIC", "BEFORE (median)", "AFTER (median)", "VERDICT"],
            measured.map((m) => [m.metric.replace(/_s$/, ""), t(m.before_s), t(m.after_s), m.verdict]),
            s,
          ),
        );
      }
      return lines.join("\n");
    },
  };
}

function statusText(status: ActionStatus, s: Style): string {
  return status === "done" ? s.green(status) : status === "dropped" ? s.dim(status) : s.yellow(status);
}

/** `opsdojo actions …`: postmortem action items. */
export function actionsCommand(session: Session, run: Runner): Command {
  const command = new Command("actions").description(
    "postmortem action items: add, list, show (with their effect on re-runs), done, drop",
  );
  const using = <T>(cmd: Command, name: string, task: (ctx: TeamContext) => Promise<T>) =>
    withTeam(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo actions ${name}`, task);

  command
    .command("add")
    .description("add an action item")
    .requiredOption("--title <text>", "what to do")
    .requiredOption("--owner <name>", "who carries it")
    .option("--due <YYYY-MM-DD>", "due date")
    .option("--session <id>", "the game-day session it came from (its scenario is taken too)")
    .option("--scenario <name>", "the scenario whose re-runs measure it")
    .option("--notes <text>", "anything else")
    .addHelpText(
      "after",
      "\nExample:\n  opsdojo actions add --session gd_01j… --title 'Alert on an empty config' --owner bob --due 2026-12-15",
    )
    .action((options: AddOptions, cmd: Command) =>
      run(() => using(cmd, "add", (ctx) => addAction(ctx, options))),
    );

  command
    .command("list")
    .description("list action items")
    .option("--status <status>", `one of ${ACTION_STATUSES.join(", ")}`)
    .option("--owner <name>", "only this owner's")
    .option("--session <id>", "only this session's")
    .option("--scenario <name>", "only this scenario's")
    .action(
      (options: { status?: string; owner?: string; session?: string; scenario?: string }, cmd: Command) =>
        run(() => using(cmd, "list", (ctx) => listActions(ctx, options))),
    );

  command
    .command("show")
    .description("show an item and whether later runs of its scenario were faster")
    .argument("<id>", "act_…")
    .action((id: string, _o: unknown, cmd: Command) =>
      run(() => using(cmd, "show", (ctx) => showAction(ctx, id))),
    );

  command
    .command("done")
    .description("mark an item done (re-runs of its scenario after now are compared with those before)")
    .argument("<id>", "act_…")
    .action((id: string, _o: unknown, cmd: Command) =>
      run(() => using(cmd, "done", (ctx) => closeAction(ctx, id, "done"))),
    );

  command
    .command("drop")
    .description("drop an item (decided against)")
    .argument("<id>", "act_…")
    .action((id: string, _o: unknown, cmd: Command) =>
      run(() => using(cmd, "drop", (ctx) => closeAction(ctx, id, "dropped"))),
    );
  return command;
}
