#!/usr/bin/env node
// The learning demo: fills an opsdojo store so that every view of issue 20 has data —
// a team of 8, 20 drills, action items, 5 services, 12 runs (each saying who started it), 10
// learning events, 2 survey rounds.
//
//   node examples/learning/demo.mjs [HOME]     (default $OPSDOJO_HOME, else ~/.opsdojo)
//
// then: opsdojo survey results, opsdojo learn evidence, opsdojo learn bus-factor, or
// `opsdojo serve` and the dashboard. HOME must hold no opsdojo store yet: the demo never mixes
// its people into yours. Drills are written as finished sessions (no faults are injected), so
// the demo needs the store on this machine, not a server URL. Its runs write small files under
// HOME/demo-files, nowhere else.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const home = resolve(process.argv[2] ?? process.env.OPSDOJO_HOME ?? join(homedir(), ".opsdojo"));
if (/^https?:\/\//.test(process.argv[2] ?? "")) {
  console.error(
    "the demo writes finished drills into a store on this machine: give a directory, then `opsdojo serve` it",
  );
  process.exit(64);
}
if (existsSync(join(home, "opsdojo.db"))) {
  console.error(
    `${home} already holds an opsdojo store; give the demo an empty directory, e.g. /tmp/opsdojo-learning`,
  );
  process.exit(64);
}
const seed = fileURLToPath(new URL("seed.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const done = spawnSync(process.execPath, ["--import", tsx, seed, home, ...process.argv.slice(3)], {
  stdio: ["ignore", "pipe", "inherit"],
});
if (done.status !== 0) process.exit(done.status ?? 1);
const summary = JSON.parse(done.stdout.toString());
console.log(
  `filled ${home}: ${summary.members} members, ${summary.drills} drills, ${summary.learning_events} learning events, ${summary.services} services, ${summary.runs} runs, survey rounds ${summary.rounds.join(" and ")}`,
);
console.log(`try: OPSDOJO_HOME=${home} opsdojo survey results`);
