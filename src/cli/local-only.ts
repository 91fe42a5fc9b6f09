import type { Command } from "commander";
import { type GlobalOptions, refuseServer } from "./context.ts";

/**
 * Commands that read or change the store of this machine and have no remote implementation,
 * each with the reason a user reads when a server is given. Longest prefix wins; a command not
 * listed either talks to the server (services, run, runs, gameday list/show/timeline/note/mark/postmortem,
 * gameday plan --at/plans/cancel-plan,
 * team add/list/remove, mine discover --upload) or touches no store (validate, plan, mine).
 * A server is refused, never silently ignored: `--server … gameday list` answering from the local
 * store would look like the server's answer.
 */
/** Versions kept by reconcile lie beside the files and objects of the machine that undid the run. */
export const PURGE_KEPT_LOCAL = "removes what this machine's undos kept aside (beside its files and objects)";

const LOCAL_ONLY: Readonly<Record<string, string>> = {
  "opsdojo runs export": "reads the journal of this machine's store",
  "opsdojo runs model":
    "reads the journal of this machine's store (the server serves it at /api/operations/{name}/run-model)",
  "opsdojo runs purge-kept": PURGE_KEPT_LOCAL,
  "opsdojo gameday":
    "works on the game days of this machine's store (the server serves them at /api/sessions)",
  "opsdojo gameday plan": "",
  "opsdojo gameday plans": "",
  "opsdojo gameday cancel-plan": "",
  "opsdojo gameday list": "",
  "opsdojo gameday show": "",
  "opsdojo gameday timeline": "",
  "opsdojo gameday note": "",
  "opsdojo gameday mark": "",
  "opsdojo gameday postmortem": "",
  "opsdojo team": "works on the team in this machine's store (add, list and remove also work on a server)",
  "opsdojo team add": "",
  "opsdojo team list": "",
  "opsdojo team remove": "",
  "opsdojo actions":
    "works on the action items in this machine's store (the server serves them at /api/action-items)",
};

function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Throws a clear error when `command` only works locally and a server is set. */
export function guardLocalOnly(command: Command, env: NodeJS.ProcessEnv): void {
  const path = pathOf(command);
  const prefix = Object.keys(LOCAL_ONLY)
    .filter((p) => path === p || path.startsWith(`${p} `))
    .sort((a, b) => b.length - a.length)[0];
  const why = prefix === undefined ? "" : (LOCAL_ONLY[prefix] ?? "");
  if (why === "") return;
  refuseServer(command.optsWithGlobals<GlobalOptions>(), env, path, why);
}
