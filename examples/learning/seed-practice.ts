// The learning demo's next game day: a practice scenario nobody has played yet, registered in the
// store, planned three days ahead with fay as GM (the wall lists it under "Coming up"), and
// written beside the demo's store so that `opsdojo gameday start` can play it live. Its one fault rewrites a banner file under the demo's
// home and nothing else, so anyone can play it on their laptop; the demo never leaves a session
// "running" without a process playing it: a live game day on the wall is a real one.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CoreContext } from "../../src/api/index.ts";
import { createGamedaysUnit, Plans } from "../../src/gamedays/index.ts";

export interface PracticeSummary {
  /** The scenario's name, as registered. */
  readonly scenario: string;
  /** Where its file is: `opsdojo gameday start FILE`. */
  readonly file: string;
  /** When it is planned (`opsdojo gameday plans` lists it). */
  readonly planned_at: string;
}

const WELCOME = "Welcome to the shop. Orders ship the same day.\n";

function scenarioText(banner: string): string {
  return `opsdojo: scenario/v1
name: stale-banner
title: "The Stale Banner"
difficulty: 1
timebox: 30m
brief: |
  Customers write in: the shop's front page says it is down for maintenance, and nobody planned
  any. Find out what changed and put the shop's banner back.
gm_notes: |
  The fault rewrites ${banner} to a maintenance notice. Writing the welcome text back (any
  text that says "Welcome") resolves it; the session undoes the fault at the end either way.
roles: [gm, primary, secondary, scribe, observer]
faults:
  - name: maintenance-banner
    at: 10s
    steps:
      - name: write-notice
        uses: file.write
        with: { path: ${JSON.stringify(banner)}, content: "Down for maintenance.\\n" }
injects:
  - { name: support, at: 2m, from: support, text: "Three customers asked when the shop opens again." }
hints:
  - { after: 5m, text: "Which file does the front page show?" }
objectives:
  - name: banner-welcomes
    file: { path: ${JSON.stringify(banner)}, contains: "Welcome" }
stable_for: 10s
`;
}

/**
 * Write the practice scenario and its banner under HOME/practice, register the scenario, and plan
 * a game day of it at `plannedFor` with fay as GM.
 */
export async function seedPractice(
  core: Pick<CoreContext, "store" | "clock" | "cursors">,
  home: string,
  plannedFor: Date,
): Promise<PracticeSummary> {
  const dir = join(home, "practice");
  const banner = join(dir, "www", "banner.txt");
  const file = join(dir, "stale-banner.yaml");
  await mkdir(join(dir, "www"), { recursive: true });
  await writeFile(banner, WELCOME);
  const source = scenarioText(banner);
  await writeFile(file, source);
  const { scenario } = await createGamedaysUnit(core, { filesRoot: dir }).scenarios.register({
    source,
    file,
  });
  const plan = await new Plans(core).create({
    scenario: scenario.name,
    at: plannedFor.toISOString(),
    gm: "fay",
    players: [{ name: "hal", role: "primary" }],
    note: "Practice: anyone may watch.",
  });
  return { scenario: scenario.name, file, planned_at: plan.at };
}
