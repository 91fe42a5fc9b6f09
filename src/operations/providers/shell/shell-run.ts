import type { Host } from "../../hosts/index.ts";
import { runShell } from "../../process/run-shell.ts";
import { HostUnreachableError, shellQuote } from "../../remote/index.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionProvider } from "../provider.ts";
import { commandEnvironment } from "./environment.ts";

export interface ShellRunInput {
  readonly command: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** True: the command gets the server's whole environment, not only PATH, HOME, LANG, LC_*, TZ. */
  readonly inherit_env?: boolean;
}

export interface ShellRunOutput extends Record<string, unknown> {
  readonly exit_code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const OUTPUT_KEPT = 64 * 1024;

/**
 * `shell.run {command, cwd?, env?}`: the command through /bin/sh, stopped (its whole process
 * group) when the step times out. A shell command's effects are unknown, so there is no
 * automatic undo: only an explicit `undo:` reverses it.
 */
export const shellRun: ActionProvider<ShellRunInput, null, ShellRunOutput> = {
  action: "shell.run",

  validate(input) {
    if (typeof input.command !== "string" || input.command.trim() === "") {
      throw new ActionInputError("shell.run", "command", "must be a non-empty string");
    }
    if (input.cwd !== undefined && (typeof input.cwd !== "string" || !input.cwd.startsWith("/"))) {
      throw new ActionInputError("shell.run", "cwd", "must be an absolute path");
    }
    if (input.inherit_env !== undefined && typeof input.inherit_env !== "boolean") {
      throw new ActionInputError("shell.run", "inherit_env", "must be true or false");
    }
    for (const [k, v] of Object.entries(input.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        throw new ActionInputError("shell.run", `env.${k}`, "is not a valid variable name");
      if (typeof v !== "string") throw new ActionInputError("shell.run", `env.${k}`, "must be a string");
    }
  },

  async describe(input) {
    return [
      {
        resource: `command ${JSON.stringify(input.command)}${input.cwd ? ` in ${input.cwd}` : ""}`,
        change: "unknown",
        detail: "a shell command's effects cannot be previewed",
      },
    ];
  },

  async capture() {
    return null;
  },

  async act(input, _pre, ctx) {
    const r = ctx.host
      ? await onHost(ctx.host, input, ctx.signal)
      : await runShell(input.command, {
          cwd: input.cwd,
          env: commandEnvironment(input.env, input.inherit_env === true),
          replaceEnv: true,
          signal: ctx.signal,
          maxOutput: OUTPUT_KEPT,
        });
    if ("startError" in r && r.startError)
      throw new ActionFailedError("shell.run", `could not start /bin/sh: ${r.startError}`, {
        retryable: false,
      });
    if (r.aborted)
      throw new ActionFailedError(
        "shell.run",
        `stopped before it finished (${r.signal ?? `exit ${r.code}`})`,
        { retryable: true },
      );
    const output = { exit_code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
    if (r.code !== 0) {
      const tail = (r.stderr || r.stdout).trim().split("\n").slice(-1)[0]?.slice(0, 200) ?? "";
      throw new ActionFailedError(
        "shell.run",
        `${JSON.stringify(input.command)} exited with ${r.code ?? r.signal}${tail ? `: ${tail}` : ""}`,
        {
          retryable: true,
        },
      );
    }
    return output;
  },

  async undo() {
    return {
      restored: false,
      reason: "shell.run has no automatic undo; declare one with undo: {uses, with}",
    };
  },
};

/**
 * The command on the target's host, in its own process group there, killed with it on timeout or
 * stop (remote/exec.ts). It gets the host's login environment plus the step's `env:`
 * (`inherit_env` is about opsdojo's own environment, which never travels to a host).
 */
async function onHost(host: Host, input: ShellRunInput, signal: AbortSignal) {
  // On a line of its own, so the command's line numbers are the author's plus one.
  const command =
    input.cwd === undefined ? input.command : `cd ${shellQuote(input.cwd)} || exit 1\n${input.command}`;
  const r = await host.exec(command, {
    signal,
    maxOutput: OUTPUT_KEPT,
    ...(input.env ? { env: input.env } : {}),
  });
  // No exit status and no signal: the channel closed under the command, the host went away.
  if (r.code === null && r.signal === null && !r.aborted)
    throw new HostUnreachableError(
      host.name,
      "the connection dropped while the command ran; whether it finished is unknown",
    );
  return r;
}
