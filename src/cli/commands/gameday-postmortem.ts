import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { InvalidInputError, messageOf } from "../../core/index.ts";
import {
  buildPostmortem,
  loadPostmortemInput,
  RETRO_KINDS,
  type RetroKind,
  renderMarkdown,
  SessionRepository,
} from "../../gamedays/index.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { PostmortemSource } from "../gamedays/backend.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { type TeamContext, withTeam } from "./team-common.ts";

/** The postmortem from this machine's store, as the server builds it from its own. */
export function localPostmortems(ctx: TeamContext): PostmortemSource {
  const postmortem = async (id: string) => buildPostmortem(await loadPostmortemInput(ctx.core, id));
  return { postmortem, postmortemMarkdown: async (id) => renderMarkdown(await postmortem(id)) };
}

export async function writePostmortem(
  source: PostmortemSource,
  id: string,
  options: { format?: string; out?: string },
): Promise<CommandResult> {
  const format = options.format ?? "md";
  if (format !== "md" && format !== "json") {
    throw new UsageError(`--format takes md or json, not "${format}"`, "opsdojo gameday postmortem");
  }
  const pm = format === "md" ? undefined : await source.postmortem(id);
  const text = pm === undefined ? await source.postmortemMarkdown(id) : `${JSON.stringify(pm, null, 2)}\n`;
  if (options.out !== undefined) {
    try {
      await writeFile(options.out, text);
    } catch (cause) {
      throw new InvalidInputError(`cannot write ${options.out}: ${messageOf(cause)}`, {
        path: options.out,
      });
    }
    return {
      json: { session_id: id, format, out: options.out },
      text: () => `wrote the postmortem of ${id} to ${options.out}`,
    };
  }
  // The chosen format is the output, with or without --json (raw: `json` is never printed).
  return { json: pm ?? null, text: () => text, raw: format === "md" };
}

export async function retro(
  ctx: TeamContext,
  id: string,
  options: { well?: string; wrong?: string; lucky?: string; by?: string },
): Promise<CommandResult> {
  await new SessionRepository(ctx.store, ctx.core.clock).get(id);
  const given = RETRO_KINDS.flatMap((k) =>
    options[k] === undefined ? [] : [[k, options[k] as string] as const],
  );
  for (const [kind, text] of given) await ctx.retro.add(id, kind as RetroKind, text, options.by);
  const entries = await ctx.retro.forSession(id);
  return {
    json: { items: entries },
    text: (s) => {
      if (entries.length === 0)
        return `no retro entries for ${id} yet: \`opsdojo gameday retro ${id} --well "…" --wrong "…" --lucky "…"\``;
      const label = { well: s.green("went well"), wrong: s.red("went wrong"), lucky: s.yellow("lucky") };
      return entries.map((e) => `${label[e.kind]}: ${e.text}${e.by ? ` (${e.by})` : ""}`).join("\n");
    },
  };
}

/** `gameday postmortem SESSION` and `gameday retro SESSION`, added to the `gameday` group. */
export function gamedayPostmortemCommands(session: Session, run: Runner): Command[] {
  const using = <T>(cmd: Command, name: string, task: (ctx: TeamContext) => Promise<T>) =>
    withTeam(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo gameday ${name}`, task);

  const postmortem = new Command("postmortem")
    .description("write the blameless postmortem of a session (Markdown or JSON)")
    .argument("<session>", "the session's id (gd_…)")
    .option("--format <format>", "md (default) or json")
    .option("--out <file>", "write it to this file instead of standard output")
    .addHelpText("after", "\nExample:\n  opsdojo gameday postmortem gd_01j… --format md --out postmortem.md")
    .action((id: string, options: { format?: string; out?: string }, cmd: Command) =>
      run(async () => {
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        // On a server: GET /api/sessions/{id}/postmortem (or /md); here, from this machine's store.
        const target = resolveTarget(globals, session.env);
        if (target.kind === "remote") {
          const { remoteGamedays } = await import("../gamedays/remote-backend.ts");
          const server = remoteGamedays({
            url: target.url,
            token: target.token,
            warn: (m) => session.warnings.push(m),
          });
          return writePostmortem(server, id, options);
        }
        return using(cmd, "postmortem", (ctx) => writePostmortem(localPostmortems(ctx), id, options));
      }),
    );

  const retroCommand = new Command("retro")
    .description("record what went well, wrong, or lucky in a session; lists the entries")
    .argument("<session>", "the session's id (gd_…)")
    .option("--well <text>", "something that went well")
    .option("--wrong <text>", "something that went wrong")
    .option("--lucky <text>", "where the team got lucky")
    .option("--by <name>", "who says so")
    .action(
      (id: string, options: { well?: string; wrong?: string; lucky?: string; by?: string }, cmd: Command) =>
        run(() => using(cmd, "retro", (ctx) => retro(ctx, id, options))),
    );
  return [postmortem, retroCommand];
}
