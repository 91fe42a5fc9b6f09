import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { InvalidInputError, messageOf } from "../../core/index.ts";
import {
  type Interview,
  type InterviewCreate,
  InterviewCreateSchema,
  RUBRIC_CRITERIA,
  type Rubric,
} from "../../gamedays/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { collectList } from "../list-options.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { checkBody, type TeamContext, withTeam } from "./team-common.ts";

interface ScoreOptions {
  readonly approach?: string;
  readonly communication?: string;
  readonly hypothesisQuality?: string;
  readonly resolution?: string;
}

interface AddOptions extends ScoreOptions {
  readonly candidate: string;
  readonly interviewer: string[];
  readonly scenario?: string;
  readonly session?: string;
  readonly transcript?: string;
}

const OPTION_OF = {
  approach: "approach",
  communication: "communication",
  hypothesis_quality: "hypothesisQuality",
  resolution: "resolution",
} as const;

function rubricFrom(options: ScoreOptions, command: string): Rubric {
  const rubric: Record<string, number> = {};
  for (const criterion of RUBRIC_CRITERIA) {
    const text = options[OPTION_OF[criterion]];
    if (text === undefined) continue;
    if (!/^[1-4]$/.test(text)) {
      throw new UsageError(
        `--${criterion.replaceAll("_", "-")} takes a score from 1 to 4, not "${text}"`,
        command,
      );
    }
    rubric[criterion] = Number(text);
  }
  return rubric as Rubric;
}

/** A transcript file, or `-` for standard input is not supported: a file keeps the record reproducible. */
async function transcriptFrom(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new InvalidInputError(`cannot read the transcript ${path}: ${messageOf(cause)}`, { path });
  }
}

export async function addInterview(ctx: TeamContext, options: AddOptions): Promise<CommandResult> {
  const transcript = await transcriptFrom(options.transcript);
  const rubric = rubricFrom(options, "opsdojo team interview add");
  const input = {
    candidate: options.candidate,
    interviewers: options.interviewer,
    ...(options.scenario !== undefined ? { scenario: options.scenario } : {}),
    ...(options.session !== undefined ? { session_id: options.session } : {}),
    ...(Object.keys(rubric).length > 0 ? { rubric } : {}),
    ...(transcript !== undefined ? { transcript } : {}),
  };
  checkBody(InterviewCreateSchema, input);
  const created = await ctx.interviews.create(input as InterviewCreate);
  return {
    json: created,
    text: (s) =>
      `recorded interview ${s.bold(created.id)} of ${created.candidate} (excluded from team metrics)`,
  };
}

export async function scoreInterview(
  ctx: TeamContext,
  id: string,
  options: ScoreOptions & { transcript?: string },
): Promise<CommandResult> {
  const rubric = rubricFrom(options, "opsdojo team interview score");
  const transcript = await transcriptFrom(options.transcript);
  if (Object.keys(rubric).length === 0 && transcript === undefined) {
    throw new UsageError(
      "give at least one score (--approach, --communication, --hypothesis-quality, --resolution) or --transcript",
      "opsdojo team interview score",
    );
  }
  const updated = await ctx.interviews.update(id, {
    ...(Object.keys(rubric).length > 0 ? { rubric } : {}),
    ...(transcript !== undefined ? { transcript } : {}),
  });
  return { json: updated, text: (s) => describeInterview(updated, s) };
}

export function describeInterview(i: Interview, s: Style): string {
  const lines = [
    `interview ${s.bold(i.id)}: ${i.candidate} (excluded from team metrics)`,
    `  interviewers: ${i.interviewers.join(", ")}`,
  ];
  if (i.scenario) lines.push(`  scenario:     ${i.scenario}`);
  if (i.session_id) lines.push(`  session:      ${i.session_id}`);
  for (const c of RUBRIC_CRITERIA)
    lines.push(
      `  ${`${c.replaceAll("_", " ")}:`.padEnd(14)}${i.rubric[c] === undefined ? "-" : `${i.rubric[c]}/4`}`,
    );
  if (i.score !== undefined) lines.push(`  score:        ${Math.round(i.score * 100)}%`);
  if (i.transcript)
    lines.push(
      "  transcript:",
      ...i.transcript
        .trimEnd()
        .split("\n")
        .map((l) => `    ${l}`),
    );
  return lines.join("\n");
}

export function teamInterviewCommand(session: Session, run: Runner): Command {
  const command = new Command("interview").description(
    "interview mode: a candidate plays a scenario; rubric and transcript kept, never in team metrics",
  );
  const using = <T>(cmd: Command, name: string, task: (ctx: TeamContext) => Promise<T>) =>
    withTeam(session, cmd.optsWithGlobals<GlobalOptions>(), `opsdojo team interview ${name}`, task);
  const scores = (c: Command) =>
    c
      .option("--approach <1-4>", "how they went about it")
      .option("--communication <1-4>", "how they kept others informed")
      .option("--hypothesis-quality <1-4>", "how good their hypotheses were")
      .option("--resolution <1-4>", "how far they got, and how cleanly")
      .option("--transcript <file>", "the transcript (a text file)");

  scores(
    command
      .command("add")
      .description("record an interview")
      .requiredOption("--candidate <name>", "who was interviewed")
      .requiredOption(
        "--interviewer <name>",
        "an interviewer (a member); repeat or comma-separate",
        collectList,
      )
      .option("--scenario <name>", "the scenario played")
      .option("--session <id>", "the game-day session it was played in (left out of team metrics)"),
  )
    .addHelpText(
      "after",
      "\nExample:\n  opsdojo team interview add --candidate 'Dana Lee' --interviewer alice,bob --scenario disk-full --approach 3",
    )
    .action((options: AddOptions, cmd: Command) =>
      run(() => using(cmd, "add", (ctx) => addInterview(ctx, options))),
    );

  scores(
    command
      .command("score")
      .description("score an interview (criteria not given stay)")
      .argument("<id>", "itv_…"),
  ).action((id: string, options: ScoreOptions, cmd: Command) =>
    run(() => using(cmd, "score", (ctx) => scoreInterview(ctx, id, options))),
  );

  command
    .command("list")
    .description("list interviews")
    .action((_o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "list", async (ctx) => {
          const items = (await ctx.interviews.list({ sort: "-created_at", limit: 500 })).items;
          return {
            json: { items },
            text: (s: Style) =>
              items.length === 0
                ? "no interviews yet"
                : table(
                    ["ID", "CANDIDATE", "INTERVIEWERS", "SCENARIO", "SCORE"],
                    items.map((i) => [
                      i.id,
                      i.candidate,
                      i.interviewers.join(","),
                      i.scenario ?? "-",
                      i.score === undefined ? "-" : `${Math.round(i.score * 100)}%`,
                    ]),
                    s,
                  ),
          };
        }),
      ),
    );

  command
    .command("show")
    .description("show an interview")
    .argument("<id>", "itv_…")
    .action((id: string, _o: unknown, cmd: Command) =>
      run(() =>
        using(cmd, "show", async (ctx) => {
          const i = await ctx.interviews.get(id);
          return { json: i, text: (s: Style) => describeInterview(i, s) };
        }),
      ),
    );
  return command;
}
