import { Command } from "commander";
import { plural } from "../../core/index.ts";
import { EVENT_KINDS, type LearningEvent, LearningEventCreateSchema } from "../../learning/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type LearningBackend, withLearning } from "../learning/backend.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { checkBody, splitList } from "./team-common.ts";

interface AddOptions {
  on: string;
  facilitator: string;
  participants?: string;
  skills?: string;
  materials?: string;
}

async function addEvent(
  b: LearningBackend,
  kind: string,
  topic: string,
  o: AddOptions,
): Promise<CommandResult> {
  const input = {
    kind,
    topic,
    held_on: o.on,
    facilitator: o.facilitator,
    ...(o.participants !== undefined ? { participants: splitList(o.participants) } : {}),
    ...(o.skills !== undefined ? { skills: splitList(o.skills) } : {}),
    ...(o.materials !== undefined ? { materials_url: o.materials } : {}),
  };
  checkBody(LearningEventCreateSchema, input);
  const e = await b.addEvent(input as Parameters<LearningBackend["addEvent"]>[0]);
  return {
    json: e,
    text: (s) =>
      `recorded ${e.kind} ${s.bold(e.topic)} on ${e.held_on} (${e.id}): ${plural(e.participants.length, "participant")}${e.skills.length ? `; counts for ${e.skills.join(", ")}` : ""}`,
  };
}

async function listEvents(b: LearningBackend, kind: string | undefined): Promise<CommandResult> {
  if (kind !== undefined && !(EVENT_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`--kind takes one of ${EVENT_KINDS.join(", ")}`, "opsdojo learn list");
  const items: LearningEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await b.listEvents({
      sort: "held_on",
      limit: 500,
      ...(kind !== undefined ? { filter: `kind = "${kind}"` } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== undefined);
  return {
    json: { items },
    text: (s) =>
      items.length === 0
        ? 'no learning events yet; record one with `opsdojo learn add kata "Reading a query plan" --on 2026-03-02 --facilitator ann --participants bo,cy --skills postgres`'
        : table(
            ["DAY", "KIND", "TOPIC", "FACILITATOR", "PEOPLE", "AREAS"],
            items.map((e) => [
              e.held_on,
              e.kind,
              e.topic,
              e.facilitator,
              String(e.participants.length),
              e.skills.join(",") || "-",
            ]),
            s,
          ),
  };
}

function brentText(r: Awaited<ReturnType<LearningBackend["busFactor"]>>, s: Style): string {
  const lines: string[] = [];
  if (r.brents.length === 0) lines.push(s.green("nobody is the only one who covers a service or skill area"));
  for (const b of r.brents) {
    const what = [...b.services.map((x) => `service ${x}`), ...b.areas.map((x) => `area ${x}`)].join(", ");
    lines.push(`${s.yellow("bus factor 1:")} without ${s.bold(b.name)}, nobody covers ${what}`);
  }
  lines.push(
    "",
    table(
      ["AREA", "BUS", "COVERED BY", "LEARNING"],
      r.areas.map((a) => [
        a.area,
        a.status === "ok" ? String(a.bus_factor) : a.status === "uncovered" ? s.red("0") : s.yellow("1"),
        a.covered_by.join(",") || "-",
        a.learning.join(",") || "-",
      ]),
      s,
    ),
  );
  if (r.services.length > 0)
    lines.push(
      "",
      table(
        ["SERVICE", "BUS", "OWNERS", "AREAS", "PEOPLE"],
        r.services.map((x) => [
          x.service,
          String(x.bus_factor),
          x.owners.join(",") || "-",
          x.areas.join(",") || "-",
          x.people.join(",") || "-",
        ]),
        s,
      ),
      "who ran operations on a service is not counted: runs do not record who started them yet",
    );
  for (const g of r.suggestions) lines.push(`${s.cyan("suggest:")} ${g.text}`);
  return lines.join("\n");
}

/** `opsdojo learn …`: learning events, evidence per dimension, bus factors (the Brent report). */
export function learnCommand(session: Session, run: Runner): Command {
  const command = new Command("learn").description(
    "learning events, evidence per dimension, bus factors (the Brent report)",
  );
  const using = <T>(cmd: Command, name: string, task: (b: LearningBackend) => Promise<T>) =>
    withLearning(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo learn ${name}`, task);

  command
    .command("add")
    .description("record a learning event; it counts in competence (stage 1 → 2 in its areas)")
    .argument("<kind>", EVENT_KINDS.join(" | "))
    .argument("<topic>", "what it was about")
    .requiredOption("--on <YYYY-MM-DD>", "the day it was held")
    .requiredOption("--facilitator <name>", "who ran it")
    .option("--participants <names>", "who attended, comma-separated")
    .option("--skills <areas>", "skill areas it taught, comma-separated")
    .option("--materials <url>", "slides, repository or notes")
    .addHelpText(
      "after",
      '\nExample:\n  opsdojo learn add kata "Reading a slow query plan" --on 2026-03-02 --facilitator ann --participants bo,cy --skills postgres',
    )
    .action((kind: string, topic: string, options: AddOptions, cmd: Command) =>
      run(() => using(cmd, "add", (b) => addEvent(b, kind, topic, options))),
    );

  command
    .command("list")
    .description("learning events, oldest first")
    .option("--kind <kind>", "only this kind")
    .action((options: { kind?: string }, cmd: Command) =>
      run(() => using(cmd, "list", (b) => listEvents(b, options.kind))),
    );

  command
    .command("evidence")
    .description(
      "evidence per dimension from opsdojo's own data: each indicator with its value and 1–6 score",
    )
    .option("--until <instant>", "the window's end (default now)")
    .option("--window-days <n>", "how far back (default 90)")
    .action((options: { until?: string; windowDays?: string }, cmd: Command) =>
      run(() =>
        using(cmd, "evidence", async (b) => {
          const days = options.windowDays === undefined ? undefined : Number(options.windowDays);
          if (days !== undefined && (!Number.isInteger(days) || days < 7 || days > 730))
            throw new UsageError(
              "--window-days takes a whole number from 7 to 730",
              "opsdojo learn evidence",
            );
          const e = await b.evidence(options.until, days);
          return {
            json: e,
            text: (s: Style) =>
              table(
                ["DIMENSION", "SCORE", "INDICATOR", "VALUE", "BASIS"],
                e.dimensions.flatMap((d) =>
                  d.indicators.map((i, n) => [
                    n === 0 ? d.dimension : "",
                    n === 0 ? (d.score?.toFixed(1) ?? "-") : "",
                    i.id,
                    i.value === null ? "-" : `${i.value} ${i.unit}`,
                    i.basis,
                  ]),
                ),
                s,
              ),
          };
        }),
      ),
    );

  command
    .command("bus-factor")
    .alias("brent")
    .description(
      "the Brent report: who alone covers a service or skill area, who to pair with them, which scenario to run",
    )
    .action((_o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "bus-factor", async (b) => {
          const r = await b.busFactor();
          return { json: r, text: (s: Style) => brentText(r, s) };
        }),
      ),
    );

  command
    .command("service-areas")
    .description("set the skill areas running a service needs (the bus factor per service reads them)")
    .argument("<service>", "the service's name in the directory")
    .argument("<areas...>", "skill areas, e.g. postgres linux")
    .action((service: string, areas: string[], _o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "service-areas", async (b) => {
          const set = await b.setServiceAreas(service, areas);
          return { json: { service, areas: set }, text: () => `${service}: ${set.join(", ")}` };
        }),
      ),
    );
  return command;
}
