import { CommanderError } from "commander";
// The two files, not the api door: that door brings the whole server (Fastify, the store), and
// every command, even `--version`, loads this file (docs/architecture.md, "Running it").
import { PROBLEMS, ProblemError } from "../api/index.ts";
import { type ErrorKind, messageOf, OpsdojoError } from "../core/index.ts";
import {
  kindOfStatus,
  type ProblemDocument,
  type ProblemFieldError,
  RemoteProblemError,
  ServerUnreachableError,
  UsageError,
} from "./errors.ts";

/**
 * The exit codes of every `opsdojo` command. Scripts may rely on them; docs/getting-started.md
 * lists them and a test keeps that table and this one in sync.
 */
export const EXIT_CODES = {
  /** The command did what was asked. */
  ok: 0,
  /** It was understood but failed: not found, conflict, changed meanwhile, unreachable, internal. */
  failed: 1,
  /** A value was refused: invalid input, or the server refused the request (400, 401, 403, 422…). */
  refused: 3,
  /** The command line cannot be parsed: unknown command or option, missing argument. */
  usage: 64,
  /** The server given by --server / OPSDOJO_URL does not answer at all (sysexits' EX_UNAVAILABLE). */
  unreachable: 69,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** How help and docs name each code. */
export const EXIT_CODE_MEANINGS: Readonly<Record<keyof typeof EXIT_CODES, string>> = {
  ok: "ok",
  failed: "failed",
  refused: "refused or invalid input",
  usage: "usage",
  unreachable: "server unreachable",
};

/** `0 ok, 1 failed, 3 refused or invalid input, 64 usage`, for the end of `opsdojo --help`. */
export const EXIT_CODE_SUMMARY = (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[])
  .map((name) => `${EXIT_CODES[name]} ${EXIT_CODE_MEANINGS[name]}`)
  .join(", ");

const BY_KIND: Record<ErrorKind, ExitCode> = {
  invalid: EXIT_CODES.refused,
  not_found: EXIT_CODES.failed,
  conflict: EXIT_CODES.failed,
  changed: EXIT_CODES.failed,
  unavailable: EXIT_CODES.failed,
  internal: EXIT_CODES.failed,
};

/** What to do next, for errors whose message does not already say it. */
const HINTS: Readonly<Record<string, string>> = {
  service_not_found: "`opsdojo services list` shows the registered services",
  store_unavailable: "check OPSDOJO_HOME (or OPSDOJO_DATABASE_URL) and that the store is reachable",
};

/** What the user sees when a command fails: one line, the listed problems, what to do next. */
export interface Failure {
  readonly exitCode: ExitCode;
  readonly message: string;
  readonly details: readonly string[];
  readonly hint?: string;
}

/**
 * The one place where an error becomes an exit code and a message. No stack trace ever reaches
 * the user: an error we did not expect is reported as a bug, with its message only.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CommanderError) {
    return {
      exitCode: EXIT_CODES.usage,
      message: error.message.replace(/^error:\s*/, ""),
      details: [],
      hint: "run `opsdojo --help` for usage",
    };
  }
  if (error instanceof UsageError) {
    return {
      exitCode: EXIT_CODES.usage,
      message: error.message,
      details: [],
      hint: `run \`${error.command} --help\` for usage`,
    };
  }
  if (error instanceof RemoteProblemError) return problemFailure(error.problem);
  if (error instanceof ServerUnreachableError) {
    // Its own code, so that a script can tell "the server is down" from "the server said no".
    return { exitCode: EXIT_CODES.unreachable, message: error.message, details: [] };
  }
  if (error instanceof ProblemError) {
    return problemFailure({
      title: PROBLEMS[error.slug].title,
      status: error.status,
      detail: error.message,
      errors: error.errors,
      ...error.extensions,
    });
  }
  if (error instanceof OpsdojoError) {
    const fieldErrors = error.details.errors;
    const hint = HINTS[error.code];
    return {
      exitCode: BY_KIND[error.kind],
      message: error.message,
      details: Array.isArray(fieldErrors) ? (fieldErrors as ProblemFieldError[]).map(fieldLine) : [],
      ...(hint ? { hint } : {}),
    };
  }
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    // The operating system said no (a file, a socket): its message is the explanation.
    return { exitCode: EXIT_CODES.failed, message, details: [] };
  }
  return {
    exitCode: EXIT_CODES.failed,
    message: `unexpected failure: ${message}`,
    details: [],
    hint: "this is a bug in opsdojo; please report it with the command you ran",
  };
}

/** `title: detail`, then each of `errors[]` with its pointer (a detail that only repeats it is dropped). */
function problemFailure(problem: ProblemDocument): Failure {
  const hint = problemHint(problem);
  const errors = problem.errors ?? [];
  const only = errors.length === 1 ? errors[0] : undefined;
  const repeats =
    only !== undefined && (problem.detail === only.detail || problem.detail === fieldLine(only));
  return {
    exitCode: BY_KIND[kindOfStatus(problem.status)],
    message: problem.detail && !repeats ? `${problem.title}: ${problem.detail}` : problem.title,
    details: errors.map(fieldLine),
    ...(hint ? { hint } : {}),
  };
}

function fieldLine(e: ProblemFieldError): string {
  return `${e.in ? `${e.in} ` : ""}${e.pointer || "(root)"}: ${e.detail}`;
}

function problemHint(problem: ProblemDocument): string | undefined {
  switch (problem.status) {
    case 401:
      return "pass a valid token with --token or OPSDOJO_TOKEN; `opsdojo token create --name NAME --scope write` makes one on the server's machine";
    case 403:
      return `use a token with the "${String(problem.required_scope ?? "required")}" scope`;
    case 429:
      return "the server's rate limit is used up; wait a moment and run the command again";
    default:
      return problem.status >= 500 && problem.instance
        ? `the server logged this failure as ${problem.instance}`
        : undefined;
  }
}
