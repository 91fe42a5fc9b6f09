import type { Evidence } from "./model.ts";

export interface ProbeRequest {
  readonly method?: string;
  /** A path (joined to the base URL) or an absolute URL. */
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string as-is (set content-type yourself). */
  readonly body?: unknown;
  /** Which credentials to send: the main token (default), the read-only token, none, or this literal header value. */
  readonly auth?: "token" | "read" | "none" | { readonly authorization: string };
  /** Wait out a 429 by its Retry-After and try again (default true). */
  readonly retryOn429?: boolean;
  /** What this request is for, shown with the evidence. */
  readonly note?: string;
  /** Another base URL (a second node). */
  readonly baseUrl?: string;
}

export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody?: string;
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
  readonly text: string;
  /** The parsed body when it is JSON (any JSON media type), else undefined. */
  readonly json: unknown;
  readonly ms: number;
  /** Set when no response arrived (connection refused, timeout); status is 0 then. */
  readonly error?: string;
  readonly note?: string;
  /** Set when the suite kept the request to itself (a write without --allow-writes, …): why. */
  readonly withheld?: string;
  /** Set (with `withheld`) when the request was not sent because the time budget ran out. */
  readonly outOfTime?: boolean;
}

/** Until when requests may be sent, and whose budget that is (for the skip reason). */
export interface Deadline {
  readonly at: number;
  /** e.g. "the run's time budget (60 s)". */
  readonly what: string;
}

export interface ProbeOptions {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly readOnlyToken?: string | undefined;
  readonly timeoutMs?: number;
  /** Longest Retry-After we are willing to wait, in seconds. */
  readonly maxWaitSeconds?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly userAgent?: string;
  /**
   * Without it nothing that could write is sent — no unsafe method, no body — except a request
   * with `validate_only=true` to an operation whose document declares that parameter.
   */
  readonly allowWrites?: boolean;
  /** Whether the document declares `validate_only` for this operation (default: none does). */
  readonly declaresDryRun?: (method: string, url: URL) => boolean;
  /** Other base URLs of the same service (a second node): they get requests and the token too. */
  readonly nodes?: readonly string[];
  /** The clock the time budget is measured by, in ms (default Date.now); tests inject one. */
  readonly now?: () => number;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isDryRun(url: URL): boolean {
  return url.searchParams.get("validate_only") === "true";
}

const BODY_EXCERPT = 600;

/**
 * The suite's HTTP client: every exchange is kept (rules that hold for *every* response are
 * checked over all of them at the end), redirects are not followed, slow servers time out,
 * non-JSON bodies are kept as text, and nothing it shows as evidence contains a secret.
 */
export class Probe {
  readonly baseUrl: string;
  readonly exchanges: Exchange[] = [];
  /** Resources the service said it created (Location of a 201), not yet deleted: URLs. */
  readonly created = new Set<string>();
  readonly #options: ProbeOptions;
  readonly #origins: Set<string>;
  readonly #secrets: string[];
  readonly #sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /**
   * Past this, nothing more is sent: each request comes back withheld (`outOfTime`), so every
   * rule stops where it is and says it was not judged, instead of running on unbounded.
   */
  deadline: Deadline | undefined;

  constructor(options: ProbeOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#options = options;
    this.#secrets = [options.token, options.readOnlyToken].filter(
      (t): t is string => typeof t === "string" && t.length > 0,
    );
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.#origins = new Set([this.baseUrl, ...(options.nodes ?? [])].map((u) => new URL(u).origin));
  }

  /** Whether a URL is the service under test (its base URL or another of its nodes). */
  isTarget(url: string | URL): boolean {
    return this.#origins.has(new URL(url, `${this.baseUrl}/`).origin);
  }

  /** Why a request must not be sent, or undefined when it may. */
  #withhold(method: string, url: URL, hasBody: boolean): string | undefined {
    if (!this.isTarget(url)) {
      if (method !== "GET" || hasBody) return `${method} ${url.origin} is not the service under test`;
      return undefined;
    }
    if (this.#options.allowWrites === true || (SAFE_METHODS.has(method) && !hasBody)) return undefined;
    if (isDryRun(url) && this.#options.declaresDryRun?.(method, url) === true) return undefined;
    return `${method} ${url.pathname} could write, and writes need --allow-writes (or profile allow_writes: true)`;
  }

  /** Keeps count of what the service created, so the run can delete it all at the end. */
  #track(method: string, url: URL, status: number, headers: Record<string, string>, json: unknown): void {
    // A dry run answered 201 is tracked too: an API that ignores validate_only really created it
    // (and deleting what a true dry run never made just answers 404).
    if (method === "POST" && status === 201) {
      const id =
        isObject(json) && (typeof json.id === "string" || typeof json.id === "number") ? json.id : undefined;
      const location =
        headers.location ??
        (id === undefined
          ? undefined
          : `${url.pathname.replace(/\/+$/, "")}/${encodeURIComponent(String(id))}`);
      if (location !== undefined) this.created.add(new URL(location, url).toString());
    } else if (method === "DELETE" && !isDryRun(url) && (status < 300 || status === 404 || status === 410)) {
      this.created.delete(`${url.origin}${url.pathname}`);
    }
  }

  get hasToken(): boolean {
    return this.#options.token !== undefined;
  }

  get hasReadOnlyToken(): boolean {
    return this.#options.readOnlyToken !== undefined;
  }

  get maxWaitSeconds(): number {
    return this.#options.maxWaitSeconds ?? 70;
  }

  sleep(ms: number): Promise<void> {
    return this.#sleep(ms);
  }

  /** Milliseconds left before the deadline (Infinity without one). */
  get timeLeft(): number {
    return this.deadline === undefined ? Number.POSITIVE_INFINITY : this.deadline.at - this.now();
  }

  url(path: string, query?: ProbeRequest["query"], baseUrl?: string): string {
    const url = /^https?:\/\//.test(path)
      ? new URL(path)
      : new URL(`${(baseUrl ?? this.baseUrl).replace(/\/+$/, "")}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  async send(request: ProbeRequest): Promise<Exchange> {
    for (let attempt = 0; ; attempt++) {
      const exchange = await this.#once(request);
      if (exchange.status !== 429 || request.retryOn429 === false || attempt >= 3) return exchange;
      const wait = retryAfterSeconds(exchange.headers["retry-after"]);
      if (wait === undefined || wait > this.maxWaitSeconds || wait * 1000 >= this.timeLeft) return exchange;
      await this.#sleep(wait * 1000 + 100);
    }
  }

  async #once(request: ProbeRequest): Promise<Exchange> {
    const method = request.method ?? "GET";
    const url = this.url(request.path, request.query, request.baseUrl);
    const headers: Record<string, string> = {
      "user-agent": this.#options.userAgent ?? "opsdojo-conform",
      ...request.headers,
    };
    const auth = request.auth ?? "token";
    const target = this.isTarget(url);
    if (!target) {
      // A document elsewhere is only read, and never with the service's credentials.
    } else if (typeof auth === "object") headers.authorization = auth.authorization;
    else if (auth === "token" && this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
    else if (auth === "read" && this.#options.readOnlyToken)
      headers.authorization = `Bearer ${this.#options.readOnlyToken}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      if (typeof request.body === "string") body = request.body;
      else {
        body = JSON.stringify(request.body);
        headers["content-type"] ??= "application/json";
      }
    }
    const late = this.timeLeft <= 0 ? this.deadline : undefined;
    const withheld =
      late !== undefined ? `${late.what} ran out` : this.#withhold(method, new URL(url), body !== undefined);
    if (withheld !== undefined) {
      const exchange: Exchange = {
        method,
        url,
        requestHeaders: headers,
        ...(body !== undefined ? { requestBody: body } : {}),
        status: 0,
        headers: {},
        text: "",
        json: undefined,
        ms: 0,
        error: `not sent: ${withheld}`,
        withheld,
        ...(late !== undefined ? { outOfTime: true } : {}),
        ...(request.note ? { note: request.note } : {}),
      };
      this.exchanges.push(exchange);
      return exchange;
    }
    const started = performance.now();
    let exchange: Exchange;
    try {
      const response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: "manual",
        // Never wait past the deadline by more than a second (the clock may be a test's).
        signal: AbortSignal.timeout(
          Math.max(1000, Math.min(this.#options.timeoutMs ?? 10_000, this.timeLeft)),
        ),
      });
      const text = await response.text();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      exchange = {
        method,
        url,
        requestHeaders: headers,
        ...(body !== undefined ? { requestBody: body } : {}),
        status: response.status,
        headers: responseHeaders,
        text,
        json: parseJsonBody(responseHeaders["content-type"], text),
        ms: Math.round(performance.now() - started),
        ...(request.note ? { note: request.note } : {}),
      };
      this.#track(method, new URL(url), response.status, responseHeaders, exchange.json);
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const why =
        e.name === "TimeoutError"
          ? `no response within ${this.#options.timeoutMs ?? 10_000} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      exchange = {
        method,
        url,
        requestHeaders: headers,
        ...(body !== undefined ? { requestBody: body } : {}),
        status: 0,
        headers: {},
        text: "",
        json: undefined,
        ms: Math.round(performance.now() - started),
        error: why,
        ...(request.note ? { note: request.note } : {}),
      };
    }
    this.exchanges.push(exchange);
    return exchange;
  }

  /** An exchange as evidence: secrets masked, bodies cut to an excerpt, only telling headers. */
  evidence(exchange: Exchange, note?: string, pickHeaders?: readonly string[]): Evidence {
    const mask = (text: string) => this.#mask(text);
    const requestHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(exchange.requestHeaders))
      if (k !== "user-agent") requestHeaders[k] = mask(v);
    const responseHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(exchange.headers)) {
      if (!pickHeaders || pickHeaders.includes(k) || INTERESTING.has(k)) responseHeaders[k] = mask(v);
    }
    const n = note ?? exchange.note;
    return {
      request: {
        method: exchange.method,
        url: mask(exchange.url),
        headers: requestHeaders,
        ...(exchange.requestBody !== undefined ? { body: excerpt(mask(exchange.requestBody)) } : {}),
      },
      ...(exchange.error === undefined
        ? {
            response: {
              status: exchange.status,
              headers: responseHeaders,
              ...(exchange.text ? { body: excerpt(mask(exchange.text)) } : {}),
              ms: exchange.ms,
            },
          }
        : { error: exchange.error }),
      ...(n ? { note: n } : {}),
    };
  }

  #mask(text: string): string {
    let out = text.replace(/odj_[A-Za-z0-9_-]{6,}/g, "odj_***");
    for (const secret of this.#secrets) out = out.split(secret).join("***");
    return out.replace(/(Bearer\s+)(?!\*\*\*|odj_\*\*\*)\S+/gi, "$1***");
  }
}

const INTERESTING = new Set([
  "content-type",
  "api-version",
  "vary",
  "location",
  "etag",
  "allow",
  "www-authenticate",
  "retry-after",
  "ratelimit",
  "ratelimit-policy",
  "deprecation",
  "sunset",
  "x-request-id",
]);

function excerpt(text: string): string {
  return text.length > BODY_EXCERPT ? `${text.slice(0, BODY_EXCERPT)}… (${text.length} characters)` : text;
}

function parseJsonBody(contentType: string | undefined, text: string): unknown {
  if (!contentType || !/[/+]json\b/i.test(contentType) || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
