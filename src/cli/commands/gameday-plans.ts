import { Command } from "commander";
import { PLAY_WINDOW_MS, type Plan, PlanCreateSchema } from "../../gamedays/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { parsePlanTime } from "../gamedays/plan-time.ts";
import { withPlans } from "../gamedays/plans-backend.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { checkBody } from "./team-common.ts";

export interface PlanOptions {
  readonly at: string;
  readonly gm?: string;
  readonly player?: string[];
  readonly note?: string;
}

const PLAN = "opsdojo gameday plan";

function players(list: readonly string[]): { name: string; role: string }[] {
  return list.map((p) => {
    const m = /^([^:\s]+):([a-z][a-z0-9_-]*)$/.exec(p);
    if (!m) throw new UsageError(`--player takes NAME:ROLE (e.g. bob:primary), not "${p}"`, PLAN);
    return { name: m[1] as string, role: m[2] as string };
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Local, 24 h: the one time format of the CLI and the dashboard. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * "in 3 days", "in 5 h", "40 min ago": how far a plan is from now, rounded as people say it — the
 * same words as the wall's (dashboard client wall/upcoming.ts; the browser bundle takes no code
 * from the server side, so the rule is written twice and both tests pin it).
 */
export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const minutes = Math.round(abs / 60_000);
  if (minutes < 1) return "now";
  const hours = Math.round(abs / 3_600_000);
  const days = Math.round(abs / 86_400_000);
  const span =
    minutes < 60 ? `${minutes} min` : hours < 36 ? `${hours} h` : days === 1 ? "1 day" : `${days} days`;
  return ms > 0 ? `in ${span}` : `${span} ago`;
}

/** The GM column: the named GM, or the rotation's pick marked as a suggestion. */
export function gmText(p: Plan): string {
  if (p.gm !== undefined) return p.gm;
  if (p.gm_suggested?.name !== undefined) return `${p.gm_suggested.name} (suggested)`;
  return "-";
}

/**
 * `gameday plan SCENARIO --at TIME`: the same verb as checking a scenario file, because both are
 * planning a game day; --at is what says "put it on the schedule".
 */
export async function planGameday(
  session: Session,
  globals: GlobalOptions,
  scenario: string,
  o: PlanOptions,
): Promise<CommandResult> {
  const input = {
    scenario,
    at: parsePlanTime(o.at, PLAN),
    ...(o.gm !== undefined ? { gm: o.gm } : {}),
    ...(o.player !== undefined ? { players: players(o.player) } : {}),
    ...(o.note !== undefined ? { note: o.note } : {}),
  };
  checkBody(PlanCreateSchema, input);
  const p = await withPlans(session, globals, PLAN, (b) => b.create(input));
  const now = new Date();
  return {
    json: p,
    text: (s: Style) =>
      [
        `planned ${s.bold(p.scenario)} for ${localTime(p.at)} (${relative(p.at, now)}), GM ${gmText(p)} — ${p.id}`,
        ...(p.gm_suggested
          ? [`  the rotation suggests ${p.gm_suggested.name ?? "nobody yet"}: ${p.gm_suggested.reason}`]
          : []),
      ].join("\n"),
  };
}

async function listPlans(session: Session, globals: GlobalOptions, all: boolean): Promise<CommandResult> {
  const now = new Date();
  const from = new Date(now.getTime() - PLAY_WINDOW_MS).toISOString();
  const items: Plan[] = [];
  await withPlans(session, globals, "opsdojo gameday plans", async (b) => {
    let cursor: string | undefined;
    do {
      const page = await b.list({
        sort: all ? "-at" : "at",
        limit: 500,
        ...(all ? {} : { filter: `status = "planned" AND at >= "${from}"` }),
        ...(cursor !== undefined ? { cursor } : {}),
      });
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== undefined);
  });
  if (all) {
    // Upcoming first (soonest first), then the rest, newest first.
    const upcoming = items.filter((p) => p.status === "planned" && p.at >= from).reverse();
    items.splice(0, items.length, ...upcoming, ...items.filter((p) => !upcoming.includes(p)));
  }
  return {
    json: { items },
    text: (s) =>
      items.length === 0
        ? `no game day is planned${all ? "" : " ahead"}; plan one with \`opsdojo gameday plan SCENARIO --at "YYYY-MM-DD HH:MM" [--gm NAME]\``
        : table(
            ["WHEN", "", "SCENARIO", "GM", "PLAYERS", "STATUS", "ID"],
            items.map((p) => [
              localTime(p.at),
              relative(p.at, now),
              p.scenario,
              gmText(p),
              p.players.map((x) => `${x.name}:${x.role}`).join(",") || "-",
              p.status === "cancelled"
                ? s.yellow(p.status)
                : p.status === "played"
                  ? s.green(p.status)
                  : p.status,
              p.id,
            ]),
            s,
          ),
  };
}

/** `gameday plans` and `gameday cancel-plan` (the `--at` form of `gameday plan` is in gameday-plan.ts). */
export function gamedayPlansCommands(session: Session, run: Runner): Command[] {
  const plans = new Command("plans")
    .description("planned game days, upcoming first (soonest first); --all adds played and cancelled ones")
    .option("--all", "every plan: upcoming first, then the rest, newest first")
    .addHelpText("after", "\nExample:\n  opsdojo gameday plans\n  opsdojo gameday plans --all --json\n")
    .action((options: { all?: boolean }, cmd: Command) =>
      run(() => listPlans(session, cmd.optsWithGlobals<GlobalOptions>(), options.all === true)),
    );
  const cancel = new Command("cancel-plan")
    .description("call off a planned game day (it stays listed under --all as cancelled)")
    .argument("<id>", "the plan's id (gdp_…), from `opsdojo gameday plans`")
    .addHelpText("after", "\nExample:\n  opsdojo gameday cancel-plan gdp_01j…\n")
    .action((id: string, _o: unknown, cmd: Command) =>
      run(async () => {
        const p = await withPlans(
          session,
          cmd.optsWithGlobals<GlobalOptions>(),
          "opsdojo gameday cancel-plan",
          (b) => b.cancel(id),
        );
        return {
          json: p,
          text: (s: Style) => `cancelled ${s.bold(p.scenario)} of ${localTime(p.at)} (${p.id})`,
        };
      }),
    );
  return [plans, cancel];
}
