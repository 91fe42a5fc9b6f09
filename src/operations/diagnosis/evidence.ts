import type { ProbeKind, ProbeResult } from "./model.ts";

/** The probes' answers, looked up by what they asked about. */
export class Evidence {
  readonly #probes: readonly ProbeResult[];

  constructor(probes: readonly ProbeResult[]) {
    this.#probes = probes;
  }

  all(kind: ProbeKind): ProbeResult[] {
    return this.#probes.filter((p) => p.kind === kind);
  }

  first(kind: ProbeKind): ProbeResult | undefined {
    return this.#probes.find((p) => p.kind === kind);
  }

  /** The probe of the failing endpoint itself (not of an alternative port). */
  mainTcp(): ProbeResult | undefined {
    return this.#probes.find((p) => p.kind === "tcp" && p.facts.alternative !== true);
  }

  /** Other ports of the same host that do accept connections. */
  openAlternatives(): ProbeResult[] {
    return this.#probes.filter(
      (p) => p.kind === "tcp" && p.facts.alternative === true && p.facts.open === true,
    );
  }

  /** `is 127.0.0.1:8081 open? → it does not accept connections (ECONNREFUSED)` */
  static line(p: ProbeResult): string {
    return `${p.question} → ${p.answer}`;
  }
}

/**
 * Other people's text only: errno codes, AWS error names and what commands, services and checks
 * observed. What opsdojo itself says about a failure is read from its kind and code (`hasCode`),
 * never from its wording.
 */
export const PATTERNS = {
  refused: /ECONNREFUSED/,
  dns: /ENOTFOUND|EAI_AGAIN|getaddrinfo/,
  unreachable: /EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/,
  reset: /ECONNRESET|socket hang up|UND_ERR_SOCKET|other side closed/i,
  /** What a check or a command saw when the time ran out (the step's own `timeout:` is kind `timeout`). */
  timeout: /no answer in time|stopped before it finished/,
  permission: /EACCES|EPERM|[Pp]ermission denied|not permitted/,
  missing: /ENOENT|does not exist|[Nn]o such file/,
  notFound: /exit code 127|exited with 127|command not found|: not found/,
  notExecutable: /exit code 126|exited with 126/,
  credential:
    /InvalidAccessKeyId|SignatureDoesNotMatch|UnrecognizedClientException|InvalidClientTokenId|ExpiredToken|InvalidToken|AccessDenied|security token|[Cc]redential/,
  throttled: /Throttl|Rate exceeded|TooManyRequests|RequestLimitExceeded|PriorRequestNotComplete|SlowDown/,
} as const;

/** Outside codes by what they mean, as a failure's `code` or `cause` carries them. */
export const CODES = {
  refused: ["ECONNREFUSED"],
  dns: ["ENOTFOUND", "EAI_AGAIN"],
  permission: ["EACCES", "EPERM"],
  missing: ["ENOENT"],
  credential: [
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidToken",
    "AccessDenied",
    "AccessDeniedException",
    "CredentialsProviderError",
  ],
} as const;

/** Whether the failure's error (or the error under it) has one of these codes. */
export function hasCode(point: { code?: string; cause?: string }, codes: readonly string[]): boolean {
  return (
    (point.code !== undefined && codes.includes(point.code)) ||
    (point.cause !== undefined && codes.includes(point.cause))
  );
}
