import { Command } from "commander";
import { type CreatedToken, type TokenInfo, Tokens } from "../../api/index.ts";
import { type Clock, systemClock } from "../../core/index.ts";
import { type GlobalOptions, requireLocal, type Session, withLocalStore } from "../context.ts";
import { TokenNotFoundError } from "../errors.ts";
import { collectList } from "../list-options.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";

export async function createToken(
  env: NodeJS.ProcessEnv,
  input: { name: string; scopes: readonly string[]; person?: string | undefined },
): Promise<CommandResult> {
  const created = await withLocalStore(env, (store) => new Tokens(store, systemClock).create(input));
  return {
    json: tokenJson(created),
    text: (s) =>
      [
        `created token ${s.bold(created.id)} "${created.name}"${
          created.person === null ? "" : ` for ${created.person}`
        } with scope ${created.scopes.join(", ")}:`,
        "",
        `  ${created.token}`,
        "",
        s.dim("This is the only time it is shown: store it now, e.g. as OPSDOJO_TOKEN."),
      ].join("\n"),
  };
}

export async function listTokens(env: NodeJS.ProcessEnv, clock: Clock = systemClock): Promise<CommandResult> {
  const tokens = await withLocalStore(env, (store) => new Tokens(store, clock).list());
  const now = clock.now().toISOString();
  return {
    json: { items: tokens.map(tokenJson) },
    text: (s) =>
      tokens.length === 0
        ? "no tokens yet: `opsdojo serve` creates the admin token, `opsdojo token create` others"
        : table(
            ["ID", "NAME", "SCOPES", "CREATED", "LAST USED", "STATUS"],
            tokens.map((t) => [
              t.id,
              t.name,
              t.scopes.join(","),
              t.created_at,
              t.last_used_at ?? "never",
              status(t, now, s),
            ]),
            s,
          ),
  };
}

export async function revokeToken(env: NodeJS.ProcessEnv, id: string): Promise<CommandResult> {
  const revoked = await withLocalStore(env, async (store) => {
    const tokens = new Tokens(store, systemClock);
    if (!(await tokens.revoke(id))) throw new TokenNotFoundError(id);
    return (await tokens.list()).find((t) => t.id === id);
  });
  return {
    json: revoked ? tokenJson(revoked) : { id },
    text: (s) => `revoked token ${s.bold(id)}${revoked ? ` "${revoked.name}"` : ""}`,
  };
}

function tokenJson(t: TokenInfo | CreatedToken): Record<string, unknown> {
  return {
    ...("token" in t ? { token: t.token } : {}),
    id: t.id,
    name: t.name,
    scopes: [...t.scopes],
    created_at: t.created_at,
    expires_at: t.expires_at,
    last_used_at: t.last_used_at,
    revoked_at: t.revoked_at,
    person: t.person,
  };
}

function status(t: TokenInfo, now: string, s: Style): string {
  if (t.revoked_at !== null) return s.red("revoked");
  if (t.expires_at !== null) return t.expires_at <= now ? s.dim("expired") : `expires ${t.expires_at}`;
  return s.green("active");
}

export function tokenCommand(session: Session, run: Runner): Command {
  const command = new Command("token").description(
    "create, list and revoke API tokens (on the store of this machine)",
  );
  command
    .command("create")
    .description("create a token; its secret is printed once")
    .requiredOption("--name <name>", "what the token is for, e.g. ci")
    .requiredOption(
      "--scope <scope>",
      "read, write (data), execute (run actions on the server) or admin (all); repeat or comma-separate",
      collectList,
    )
    .option(
      "--person <name>",
      "the team member the token acts for: runs it starts record this name as who started them (default: the token's name)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  opsdojo token create --name ci --scope write --json\n  opsdojo token create --name ana-laptop --person Ana --scope execute",
    )
    .action((options: { name: string; scope: string[]; person?: string }, cmd: Command) =>
      run(async () => {
        requireLocal(cmd.optsWithGlobals<GlobalOptions>(), "opsdojo token");
        return createToken(session.env, {
          name: options.name,
          scopes: options.scope,
          person: options.person,
        });
      }),
    );
  command
    .command("list")
    .description("list tokens (never their secrets)")
    .action((_options: unknown, cmd: Command) =>
      run(async () => {
        requireLocal(cmd.optsWithGlobals<GlobalOptions>(), "opsdojo token");
        return listTokens(session.env);
      }),
    );
  command
    .command("revoke")
    .description("revoke a token: requests with it are refused from now on")
    .argument("<id>", "the token's id (tok_…), as `token list` shows it")
    .action((id: string, _options: unknown, cmd: Command) =>
      run(async () => {
        requireLocal(cmd.optsWithGlobals<GlobalOptions>(), "opsdojo token");
        return revokeToken(session.env, id);
      }),
    );
  return command;
}
