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

/** Error codes and phrases in a failure's text that name a cause. */
export const PATTERNS = {
  refused: /ECONNREFUSED/,
  dns: /ENOTFOUND|EAI_AGAIN|getaddrinfo/,
  unreachable: /EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/,
  reset: /ECONNRESET|socket hang up|UND_ERR_SOCKET|other side closed/i,
  timeout: /timed out after|no answer in time|stopped before it finished/,
  permission: /EACCES|EPERM|[Pp]ermission denied|not permitted/,
  missing: /ENOENT|does not exist|[Nn]o such file/,
  notFound: /exit code 127|exited with 127|command not found|: not found/,
  notExecutable: /exit code 126|exited with 126/,
  credential:
    /InvalidAccessKeyId|SignatureDoesNotMatch|UnrecognizedClientException|InvalidClientTokenId|ExpiredToken|InvalidToken|AccessDenied|security token|[Cc]redential/,
  reference: /cannot be evaluated|does not resolve|unknown reference|not defined|nothing is known as/,
  input: /: (must|is not a|unknown field|expected)/,
  stopped: /the run was stopped/,
  throttled: /Throttl|Rate exceeded|TooManyRequests|RequestLimitExceeded|PriorRequestNotComplete|SlowDown/,
} as const;
