import { type ErrorKind, OpsdojoError } from "../core/index.ts";

/** The command line cannot be understood (unknown option, missing argument, conflicting flags). */
export class UsageError extends OpsdojoError {
  /** The command whose `--help` explains the right usage, e.g. `opsdojo services`. */
  readonly command: string;
  constructor(message: string, command = "opsdojo") {
    super("usage", message, { kind: "invalid" });
    this.command = command;
  }
}

/** One item of a problem's `errors[]` (RFC 9457 extension used by the opsdojo API). */
export interface ProblemFieldError {
  readonly detail: string;
  readonly pointer: string;
  readonly in?: string;
}

/** The parts of an RFC 9457 problem document the CLI shows. */
export interface ProblemDocument {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly [extension: string]: unknown;
}

/** A remote server answered with a problem. */
export class RemoteProblemError extends OpsdojoError {
  readonly status: number;
  readonly problem: ProblemDocument;
  constructor(problem: ProblemDocument) {
    super("remote_problem", `${problem.title}${problem.detail ? `: ${problem.detail}` : ""}`, {
      kind: kindOfStatus(problem.status),
      retryable: problem.status === 429 || problem.status >= 500,
    });
    this.status = problem.status;
    this.problem = problem;
  }
}

/** What a problem's HTTP status means, in the terms every opsdojo error uses. */
export function kindOfStatus(status: number): ErrorKind {
  if (status === 404 || status === 410) return "not_found";
  if (status === 409) return "conflict";
  if (status === 412) return "changed";
  if (status === 429 || status === 503) return "unavailable";
  if (status >= 400 && status < 500) return "invalid";
  return "internal";
}

/** The server at `--server` / `OPSDOJO_URL` cannot be reached at all (exit code 69). */
export class ServerUnreachableError extends OpsdojoError {
  constructor(url: string, cause: unknown) {
    const reason = causeText(cause);
    super(
      "server_unreachable",
      `cannot connect to ${url}${reason ? ` (${reason})` : ""}: is \`opsdojo serve\` running there?`,
      { cause, kind: "unavailable", retryable: true },
    );
  }
}

/** A command that only works on this machine was given a server. */
export class LocalOnlyError extends OpsdojoError {
  readonly command: string;
  constructor(command: string, why: string) {
    super(
      "local_only",
      `\`${command}\` ${why}; it does not take --server (or OPSDOJO_URL): unset it, or run it where the store is`,
      {
        kind: "invalid",
        details: { command },
      },
    );
    this.command = command;
  }
}

/** `serve` cannot listen because another process holds the port. */
export class PortInUseError extends OpsdojoError {
  constructor(host: string, port: number, cause: unknown) {
    super(
      "port_in_use",
      `port ${port} on ${host} is already in use; stop the process using it or pick another port with --port (or OPSDOJO_PORT)`,
      { cause, kind: "unavailable" },
    );
  }
}

function causeText(error: unknown): string {
  let e: unknown = error;
  // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND) in `cause`; the innermost says most.
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  if (!(e instanceof Error)) return "";
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" ? code : e.message;
}

/** `token revoke` named an id that no token has. */
export class TokenNotFoundError extends OpsdojoError {
  constructor(id: string) {
    super("token_not_found", `token ${id} does not exist; \`opsdojo token list\` shows every token`, {
      details: { id },
      kind: "not_found",
    });
  }
}
