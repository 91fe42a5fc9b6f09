import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { quote } from "../../../core/index.ts";
import { runShell } from "../../process/run-shell.ts";
import type { Probe } from "./bounded.ts";

/** Words /bin/sh runs itself: never looked up on PATH. */
const BUILTINS = new Set(
  "alias bg break cd command continue echo eval exec exit export false fg getopts hash jobs kill printf pwd read readonly return set shift test [ times trap true type ulimit umask unalias unset wait . : if then else elif fi for while until do done case esac ! { }".split(
    " ",
  ),
);

/**
 * The program a shell command line starts: its first word, after `VAR=value` assignments and a
 * leading `sudo`/`env`/`exec`; undefined when it is a builtin or cannot be told without a shell.
 */
export function executableOf(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  for (const raw of words) {
    const word = raw.replace(/^["']|["']$/g, "");
    if (word === "") continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    if (word === "sudo" || word === "env" || word === "exec" || word === "nohup") continue;
    if (/[$`();|&<>*?]/.test(word)) return undefined;
    return BUILTINS.has(word) ? undefined : word;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Is the program on PATH (or, for a path, there and executable)? */
export function executableProbe(program: string, cwd?: string): Probe {
  return {
    kind: "executable",
    question: program.includes("/") ? `is ${program} an executable file?` : `is ${program} on PATH?`,
    async run() {
      if (program.includes("/")) {
        const path = isAbsolute(program) ? program : resolve(cwd ?? process.cwd(), program);
        const found = await isExecutableFile(path);
        let exists = found;
        if (!found)
          exists = await stat(path).then(
            () => true,
            () => false,
          );
        return {
          ok: found,
          answer: found
            ? `${path} is an executable file`
            : exists
              ? `${path} exists but is not executable by this process`
              : `${path} does not exist`,
          facts: { program, path, found, exists },
        };
      }
      const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
      for (const dir of dirs) {
        const path = join(dir, program);
        if (await isExecutableFile(path)) {
          return {
            ok: true,
            answer: `found at ${path}`,
            facts: { program, path, found: true, exists: true },
          };
        }
      }
      return {
        ok: false,
        answer: `not found in any of the ${dirs.length} directories of PATH`,
        facts: { program, found: false, exists: false, path_dirs: dirs.length },
      };
    },
  };
}

/**
 * Run a check's command once more (a check is meant to change nothing) and report its exit code
 * and the last line of its error output. Never used for a step's own command.
 */
export function commandProbe(command: string, cwd?: string): Probe {
  return {
    kind: "command",
    question: `what does ${quote(command)} say now?`,
    async run(signal) {
      const r = await runShell(command, { cwd, signal, graceMs: 200, maxOutput: 64 * 1024 });
      if (r.startError) {
        return { ok: false, answer: `could not start: ${r.startError}`, facts: { started: false } };
      }
      if (r.aborted)
        return { ok: false, answer: "still running when the time was up", facts: { timed_out: true } };
      const stderr = r.stderr.trim().split("\n").slice(-1)[0]?.slice(0, 200) ?? "";
      const stdout = r.stdout.trim().split("\n").slice(-1)[0]?.slice(0, 200) ?? "";
      return {
        ok: r.code === 0,
        answer: `exit code ${r.code ?? r.signal}${stderr ? `: ${stderr}` : stdout ? `; output: ${stdout}` : ""}`,
        facts: { exit_code: r.code, stderr, stdout },
      };
    },
  };
}
