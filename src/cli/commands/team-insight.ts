import { Command } from "commander";
import { plural } from "../../core/index.ts";
import {
  assessCompetence,
  balanceParty,
  type Competence,
  type DrillRecord,
  loadDrillHistory,
  type Member,
  nextGm,
  type PartyMember,
  scenarioAreas,
  setScenarioAreas,
  TeamInvalidError,
} from "../../gamedays/index.ts";
import { attendanceOf, loadLearningEvents } from "../../learning/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { splitList, type TeamContext, withTeam } from "./team-common.ts";
import { describeMember } from "./team-member-text.ts";

const AREA = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

interface People {
  readonly members: Member[];
  readonly history: DrillRecord[];
  readonly competence: Competence[];
}

/** Live members, drill history from the game-day tables, and competence over both and learning events. */
async function people(ctx: TeamContext, areas?: readonly string[]): Promise<People> {
  const members = await ctx.members.all();
  const history = await loadDrillHistory(ctx.store);
  const competence = assessCompetence(history, {
    declared: new Map(members.map((m) => [m.name, m.skills])),
    learning: attendanceOf(await loadLearningEvents(ctx.store)),
    ...(areas ? { areas } : {}),
  });
  return { members, history, competence };
}

/** `--areas a,b` or the areas set for `--scenario NAME`. */
async function areasFrom(
  ctx: TeamContext,
  options: { areas?: string; scenario?: string },
  command: string,
): Promise<string[] | undefined> {
  const given = splitList(options.areas);
  if (given) {
    for (const a of given)
      if (!AREA.test(a)) throw new UsageError(`"${a}" is not a skill area (kebab-case)`, command);
    return given;
  }
  if (options.scenario === undefined) return undefined;
  const set = (await scenarioAreas(ctx.store)).get(options.scenario);
  if (!set || set.length === 0) {
    throw new TeamInvalidError(
      `scenario ${options.scenario} has no skill areas yet: \`opsdojo team areas ${options.scenario} AREA…\` sets them, or pass --areas`,
      "/scenario",
    );
  }
  return set;
}

export async function showMember(ctx: TeamContext, ref: string): Promise<CommandResult> {
  const member = await ctx.members.find(ref);
  const { competence } = await people(ctx);
  const mine = competence.filter((c) => c.person === member.name);
  return {
    json: { ...member, competence: mine },
    text: (s) =>
      mine.length === 0
        ? describeMember(member, s)
        : `${describeMember(member, s)}\n\n${competenceTable(mine, s, false)}`,
  };
}

function competenceTable(rows: readonly Competence[], s: Style, withPerson = true): string {
  return table(
    [...(withPerson ? ["PERSON"] : []), "AREA", "STAGE", "DRILLS", "TREND", "WHY"],
    rows.map((c) => [
      ...(withPerson ? [c.person] : []),
      c.area,
      `${c.level} ${c.stage.replaceAll("_", " ")}`,
      String(c.drills.length),
      c.trend,
      c.reason,
    ]),
    s,
  );
}

export async function partyBalance(
  ctx: TeamContext,
  names: readonly string[],
  options: { areas?: string; scenario?: string },
): Promise<CommandResult> {
  const areas = await areasFrom(ctx, options, "opsdojo team balance");
  const { members, history, competence } = await people(ctx);
  const byName = new Map(members.map((m) => [m.name, m]));
  // Someone who played a drill is a player the team knows, even if never added with `team add`
  // (`gameday start --player bob:primary` does not add bob): their drills still count.
  const played = new Set(
    history.filter((d) => !d.interview).flatMap((d) => d.participants.map((p) => p.name)),
  );
  const unknown = names.filter((n) => !byName.has(n) && !played.has(n));
  if (unknown.length > 0) {
    throw new TeamInvalidError(
      `not a member and never played a drill: ${unknown.join(", ")}; \`opsdojo team list\` shows the team, \`opsdojo team add NAME --class … --skills …\` adds someone`,
      "/party",
    );
  }
  const unregistered = names.filter((n) => !byName.has(n));
  const party: PartyMember[] = names.map((n) => byName.get(n) ?? { name: n, skills: [] });
  const b = balanceParty({ party, pool: members, ...(areas ? { areas } : {}), competence });
  return {
    json: { ...b, unregistered },
    text: (s) => {
      const rows = b.areas.map((a) => [
        a.area,
        a.covered_by.join(",") || "-",
        a.shown_by.join(",") || "-",
        a.status === "ok" ? s.green("ok") : a.status === "gap" ? s.red("gap") : s.yellow("bus factor 1"),
      ]);
      const lines = [
        `party: ${b.party.join(", ")} — covers ${Math.round(b.coverage * 100)}% of ${plural(b.areas.length, "area")}`,
        table(["AREA", "COVERED BY", "SHOWN IN DRILLS", "STATUS"], rows, s),
        `classes missing: ${b.missing_classes.join(", ") || "none"}`,
      ];
      for (const w of b.warnings) lines.push(`${s.yellow("warning:")} ${w}`);
      if (unregistered.length > 0)
        lines.push(
          `${s.yellow("note:")} ${unregistered.join(", ")} ${unregistered.length === 1 ? "is" : "are"} known from drills only (no class or declared skills); \`opsdojo team add NAME --class … --skills …\` records them`,
        );
      for (const g of b.suggestions) lines.push(`${s.cyan("suggest:")} add ${s.bold(g.name)} — ${g.reason}`);
      return lines.join("\n");
    },
  };
}

export async function competenceReport(
  ctx: TeamContext,
  ref: string | undefined,
  options: { area?: string },
): Promise<CommandResult> {
  const person = ref === undefined ? undefined : (await ctx.members.find(ref)).name;
  const { competence, members } = await people(ctx);
  const live = new Set(members.map((m) => m.name));
  const rows = competence.filter(
    (c) =>
      (person === undefined ? live.has(c.person) : c.person === person) &&
      (options.area === undefined || c.area === options.area),
  );
  return {
    json: { items: rows },
    text: (s) =>
      rows.length === 0
        ? "nothing to assess yet: members declare skills with `team add --skills`, drills add evidence"
        : competenceTable(rows, s),
  };
}

export async function suggestGm(
  ctx: TeamContext,
  options: { areas?: string; scenario?: string },
): Promise<CommandResult> {
  const areas = await areasFrom(ctx, options, "opsdojo team next-gm");
  const { members, history, competence } = await people(ctx);
  const r = nextGm({
    members: members.map((m) => m.name),
    history,
    ...(areas ? { areas } : {}),
    competence,
  });
  return {
    json: r,
    text: (s) => {
      const head = r.name ? `next GM: ${s.bold(r.name)} — ${r.reason}` : r.reason;
      if (r.candidates.length === 0) return head;
      const rows = r.candidates.map((c) => [
        c.name,
        String(c.gm_count),
        c.last_gm_at ?? "never",
        String(c.played),
        c.skipped ?? "",
      ]);
      return `${head}\n${table(["MEMBER", "GM", "LAST GM", "PLAYED", "NOTE"], rows, s)}`;
    },
  };
}

export async function scenarioAreasCommand(
  ctx: TeamContext,
  scenario: string,
  areas: readonly string[],
): Promise<CommandResult> {
  for (const a of areas)
    if (!AREA.test(a)) throw new UsageError(`"${a}" is not a skill area (kebab-case)`, "opsdojo team areas");
  if (areas.length > 0) await setScenarioAreas(ctx.store, scenario, areas, ctx.core.clock.now());
  const set = (await scenarioAreas(ctx.store)).get(scenario) ?? [];
  return {
    json: { scenario, areas: set },
    text: () =>
      set.length === 0
        ? `scenario ${scenario} has no skill areas; set them with \`opsdojo team areas ${scenario} linux networking\``
        : `${scenario}: ${set.join(", ")}`,
  };
}

export function teamInsightCommands(session: Session, run: Runner): Command[] {
  const using = <T>(cmd: Command, name: string, task: (ctx: TeamContext) => Promise<T>) =>
    withTeam(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo team ${name}`, task);

  const balance = new Command("balance")
    .description("how balanced a proposed party is: coverage, bus factor of one, who to add")
    .argument("<names...>", "the members of the party")
    .option(
      "--areas <areas>",
      "the skill areas the scenario needs, comma-separated (default: every declared area)",
    )
    .option("--scenario <name>", "take the areas set for this scenario (`team areas`)")
    .addHelpText("after", "\nExample:\n  opsdojo team balance alice bob --areas linux,postgres,dns")
    .action((names: string[], options: { areas?: string; scenario?: string }, cmd: Command) =>
      run(() => using(cmd, "balance", (ctx) => partyBalance(ctx, names, options))),
    );

  const competence = new Command("competence")
    .description("the four stages of competence per person and skill area, from drill history")
    .argument("[name-or-id]", "one member (default: everyone)")
    .option("--area <area>", "one skill area")
    .action((ref: string | undefined, options: { area?: string }, cmd: Command) =>
      run(() => using(cmd, "competence", (ctx) => competenceReport(ctx, ref, options))),
    );

  const gm = new Command("next-gm")
    .description("who should run the next drill: GM least recently, then least often; experts play")
    .option("--areas <areas>", "the next scenario's skill areas: their experts are passed over")
    .option("--scenario <name>", "take the areas set for this scenario")
    .action((options: { areas?: string; scenario?: string }, cmd: Command) =>
      run(() => using(cmd, "next-gm", (ctx) => suggestGm(ctx, options))),
    );

  const areas = new Command("areas")
    .description("show or set the skill areas a scenario exercises (drills in it count for them)")
    .argument("<scenario>", "the scenario's name")
    .argument("[areas...]", "set these areas (replacing the old ones)")
    .action((scenario: string, list: string[], _o: unknown, cmd: Command) =>
      run(() => using(cmd, "areas", (ctx) => scenarioAreasCommand(ctx, scenario, list))),
    );
  return [balance, competence, gm, areas];
}
