import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { FileUnreadableError, plural } from "../../core/index.ts";
import {
  DEFAULT_SURVEY_SOURCE,
  type Invitations,
  LearningNotFoundError,
  type RoundReport,
} from "../../learning/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type LearningBackend, withLearning } from "../learning/backend.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";

/** `--invitations 8` (one group, `team`) or `--groups ops=5,dev=4`. */
export function invitationGroups(
  options: { invitations?: string; groups?: string },
  command: string,
): Record<string, number> {
  if (options.groups !== undefined) {
    const out: Record<string, number> = {};
    for (const part of options.groups
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([a-z0-9][a-z0-9._-]{0,39})=(\d{1,4})$/.exec(part);
      if (!m)
        throw new UsageError(`--groups takes NAME=COUNT pairs, e.g. ops=5,dev=4; got "${part}"`, command);
      out[m[1] as string] = Number(m[2]);
    }
    return out;
  }
  const n = Number(options.invitations ?? "0");
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError("say how many codes: --invitations 8, or --groups ops=5,dev=4", command);
  return { team: n };
}

/** `cl-time=4,id-listen=5` → {cl-time: 4, id-listen: 5}. */
export function parseAnswers(text: string, command: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9-]*)=(\d)$/.exec(part);
    if (!m)
      throw new UsageError(
        `--answers takes ITEM=1..6 pairs, e.g. cl-time=4,em-act=5; got "${part}"`,
        command,
      );
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

function codesText(made: Invitations, s: Style): string {
  return [
    `round ${s.bold(made.round.name)} of ${made.round.survey_name} is open (${made.round.id})`,
    `${plural(made.codes.length, "invitation code")} — shown this once; hand one to each person, in any order:`,
    table(
      ["GROUP", "CODE"],
      made.codes.map((c) => [c.group, c.code]),
      s,
    ),
    "answer with `opsdojo survey respond CODE --answers …`, or the dashboard's #/survey page on a phone",
  ].join("\n");
}

const num = (n: number | null) => (n === null ? "-" : n.toFixed(1));

export function resultsText(r: RoundReport, s: Style): string {
  const lines = [
    `${r.survey.title} — round ${s.bold(r.round.name)} (${r.round.status}; ${r.round.responses} of ${plural(r.round.invitations, "invitation")} answered)`,
    table(
      ["DIMENSION", "SURVEY", "N", "EVIDENCE", "GAP"],
      r.dimensions.map((d) => [
        d.title,
        d.survey === null ? "hidden (<3)" : num(d.survey),
        d.respondents === null ? "-" : String(d.respondents),
        num(d.evidence),
        d.gap === null ? "-" : d.gap > 0 ? `+${d.gap.toFixed(1)}` : d.gap.toFixed(1),
      ]),
      s,
    ),
  ];
  for (const g of r.groups) {
    lines.push(
      `group ${g.group}: ${g.dimensions.map((d) => `${d.id} ${d.score === null ? `hidden (${d.hidden === "complement" ? "complement" : "<3"})` : num(d.score)}`).join(", ")}`,
    );
  }
  lines.push(
    "",
    `evidence: ${r.evidence.window.from.slice(0, 10)} … ${r.evidence.window.until.slice(0, 10)}, team of ${r.evidence.team_size}`,
    table(
      ["DIMENSION", "INDICATOR", "VALUE", "SCORE", "BASIS"],
      r.evidence.dimensions.flatMap((d) =>
        d.indicators.map((i) => [
          d.dimension,
          i.id,
          i.value === null ? "-" : `${i.value} ${i.unit}`,
          num(i.score),
          i.basis,
        ]),
      ),
      s,
    ),
    "GAP = survey − evidence: above 0 the team rates itself higher than its record shows (docs/learning.md)",
  );
  return lines.join("\n");
}

async function latestRound(backend: LearningBackend, ref: string | undefined): Promise<string> {
  if (ref !== undefined) return ref;
  const last = (await backend.rounds()).at(-1);
  if (!last)
    throw new LearningNotFoundError("survey round", "", "`opsdojo survey start --invitations 8` opens one");
  return last.id;
}

/** `opsdojo survey …`: rounds, invitation codes, anonymous answers, results beside evidence. */
export function surveyCommand(session: Session, run: Runner): Command {
  const command = new Command("survey").description(
    "team surveys: open a round with invitation codes, answer anonymously, results beside evidence",
  );
  const using = <T>(cmd: Command, name: string, task: (b: LearningBackend) => Promise<T>) =>
    withLearning(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo survey ${name}`, task, {
      anonymous: name === "respond",
    });

  command
    .command("start")
    .description("open a round and print its invitation codes (the built-in survey unless --file)")
    .option("--file <survey.yaml>", "a survey/v1 file to register and use")
    .option("--survey <name-or-id>", "a survey registered before")
    .option("--round <name>", "the round's name (default: the next planned one, else YYYY-MM)")
    .option("--invitations <n>", "how many codes, in one group `team`")
    .option("--groups <name=n,...>", "codes per group, e.g. ops=5,dev=4 (results per group of 3 or more)")
    .addHelpText("after", "\nExample:\n  opsdojo survey start --groups ops=5,dev=4 --round 2026-q1")
    .action(
      (
        options: { file?: string; survey?: string; round?: string; invitations?: string; groups?: string },
        cmd: Command,
      ) =>
        run(() =>
          using(cmd, "start", async (b): Promise<CommandResult> => {
            const groups = invitationGroups(options, "opsdojo survey start");
            let survey = options.survey;
            if (options.file !== undefined) {
              let source: string;
              try {
                source = await readFile(options.file, "utf8");
              } catch (error) {
                throw new FileUnreadableError(options.file, error);
              }
              survey = (await b.registerSurvey(source, options.file)).id;
            }
            const made = await b.startRound({
              invitations: groups,
              ...(survey !== undefined ? { survey } : {}),
              ...(options.round !== undefined ? { round: options.round } : {}),
            });
            return { json: made, text: (s) => codesText(made, s) };
          }),
        ),
    );

  command
    .command("invite")
    .description("more invitation codes for an open round")
    .argument("<round>", "the round's name or id")
    .option("--invitations <n>", "how many codes, group `team`")
    .option("--groups <name=n,...>", "codes per group")
    .action((round: string, options: { invitations?: string; groups?: string }, cmd: Command) =>
      run(() =>
        using(cmd, "invite", async (b) => {
          const made = await b.invite(round, invitationGroups(options, "opsdojo survey invite"));
          return { json: made, text: (s: Style) => codesText(made, s) };
        }),
      ),
    );

  command
    .command("respond")
    .description("answer a survey with an invitation code (anonymous; the code works once)")
    .argument("<code>", "the invitation code, e.g. 7K3M-Q9TX-2HBR")
    .option("--answers <item=1..6,...>", "your answers; without it, the items are listed")
    .addHelpText(
      "after",
      "\nExample:\n  opsdojo survey respond 7K3M-Q9TX-2HBR --answers cl-time=4,id-challenge=2,em-act=5",
    )
    .action((code: string, options: { answers?: string }, cmd: Command) =>
      run(() =>
        using(cmd, "respond", async (b): Promise<CommandResult> => {
          if (options.answers === undefined) {
            const q = await b.questionnaire(code);
            return {
              json: q,
              text: (s) =>
                [
                  `${s.bold(q.survey.title)} (round ${q.round}) — rate each from 1 (${q.survey.scale.low}) to 6 (${q.survey.scale.high}):`,
                  ...q.survey.dimensions.flatMap((d) => [
                    `  ${d.title}`,
                    ...d.items.map((i) => `    ${i.id}: ${i.text}`),
                  ]),
                  `then: opsdojo survey respond ${code} --answers ${q.survey.dimensions[0]?.items[0]?.id ?? "item"}=4,…`,
                ].join("\n"),
            };
          }
          const done = await b.respond(code, parseAnswers(options.answers, "opsdojo survey respond"));
          return {
            json: done,
            text: () =>
              `thank you: your answers to round ${done.round} are recorded, with nothing that leads back to you`,
          };
        }),
      ),
    );

  command
    .command("results")
    .description(
      "scores per dimension (hidden below 3 respondents) beside the evidence from opsdojo's data, and the gap",
    )
    .argument("[round]", "the round's name or id (default: the latest)")
    .action((ref: string | undefined, _o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "results", async (b) => {
          const r = await b.results(await latestRound(b, ref));
          return { json: r, text: (s: Style) => resultsText(r, s) };
        }),
      ),
    );

  command
    .command("rounds")
    .description("survey rounds with how many codes were made and used")
    .action((_o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "rounds", async (b) => {
          const items = await b.rounds();
          return {
            json: { items },
            text: (s: Style) =>
              items.length === 0
                ? "no survey round yet: `opsdojo survey start --invitations 8` opens one"
                : table(
                    ["ROUND", "SURVEY", "STATUS", "OPENED", "ANSWERED", "ID"],
                    items.map((r) => [
                      r.name,
                      r.survey_name,
                      r.status,
                      r.opened_on,
                      `${r.responses}/${r.invitations}`,
                      r.id,
                    ]),
                    s,
                  ),
          };
        }),
      ),
    );

  command
    .command("close")
    .description("close a round: unused codes stop working")
    .argument("<round>", "the round's name or id")
    .action((ref: string, _o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "close", async (b) => {
          const r = await b.closeRound(ref);
          return {
            json: r,
            text: () =>
              `round ${r.name} closed on ${r.closed_on ?? "?"}: ${r.responses} of ${r.invitations} answered`,
          };
        }),
      ),
    );

  command
    .command("show-default")
    .description("print the built-in survey (survey/v1), a starting point for your own")
    .action(() =>
      run(async () => ({
        json: { source: DEFAULT_SURVEY_SOURCE },
        text: () => DEFAULT_SURVEY_SOURCE.trimEnd(),
        raw: true,
      })),
    );

  return command;
}
