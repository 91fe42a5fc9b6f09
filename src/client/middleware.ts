import { randomUUID } from "node:crypto";
import type { Middleware } from "openapi-fetch";

/** What the client reports when the server marks an operation (or API version) as deprecated. */
export interface DeprecationNotice {
  /** Method and OpenAPI path, e.g. `GET /api/services/by-name/{name}`. */
  readonly operation: string;
  /** The `Deprecation` header as sent (RFC 9745, `@<epoch seconds>`), when present. */
  readonly deprecation?: string;
  /** When it was (or will be) deprecated, from `Deprecation: @<epoch>`. */
  readonly deprecatedAt?: Date;
  /** When it stops working (RFC 8594 `Sunset`). */
  readonly sunsetAt?: Date;
  /** What to use instead, from `Link: <…>; rel="successor-version"`. */
  readonly successor?: string;
}

/** `Accept-Version` on every request, so a new major version never changes what this client gets. */
export function acceptVersion(version: string): Middleware {
  return {
    onRequest({ request }) {
      if (!request.headers.has("accept-version")) request.headers.set("accept-version", version);
      return request;
    },
  };
}

/**
 * A fresh `Idempotency-Key` on every POST that has none, so that retrying a POST (by this client
 * after a 429, or by a caller who passes the same key) never creates a second resource.
 */
export function idempotencyKeys(newKey: () => string = randomUUID): Middleware {
  return {
    onRequest({ request }) {
      if (request.method === "POST" && !request.headers.has("idempotency-key")) {
        request.headers.set("idempotency-key", newKey());
      }
      return request;
    },
  };
}

export interface RetryOptions {
  /** Retries after a 429 (default 3); 0 hands the 429 to the caller at once. */
  readonly maxRetries: number;
  /** A `Retry-After` longer than this is not waited out: the 429 goes to the caller (default 60). */
  readonly maxWaitSeconds: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
}

/**
 * Wait out `429 Too Many Requests` for as long as `Retry-After` says, then send the same request
 * again (same headers, same Idempotency-Key). Must be the last middleware: it copies the request
 * after the others have set their headers, and sees the response before they do.
 */
export function retryRateLimited(options: RetryOptions): Middleware {
  const sent = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      if (options.maxRetries > 0) sent.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id, options: client }) {
      const original = sent.get(id);
      sent.delete(id);
      if (original === undefined) return response;
      let current = response;
      for (let attempt = 0; current.status === 429 && attempt < options.maxRetries; attempt++) {
        const waitMs = retryAfterMs(current.headers.get("retry-after"), options.now());
        if (waitMs === undefined || waitMs > options.maxWaitSeconds * 1000) break;
        await current.body?.cancel();
        await options.sleep(waitMs);
        current = await client.fetch(original.clone());
      }
      return current;
    },
    onError({ id }) {
      sent.delete(id);
    },
  };
}

const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** `Retry-After` as delay-seconds or an HTTP-date → milliseconds to wait; undefined if unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an IMF-fixdate: Date.parse would also take "-1" or "2" as a year.
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Report `Deprecation` / `Sunset` response headers to `notify`. */
export function deprecationNotices(notify: (notice: DeprecationNotice) => void): Middleware {
  return {
    onResponse({ request, response, schemaPath }) {
      const deprecation = response.headers.get("deprecation");
      const sunset = response.headers.get("sunset");
      if (deprecation === null && sunset === null) return response;
      const epoch = deprecation === null ? undefined : /^@(-?\d+)$/.exec(deprecation.trim())?.[1];
      const sunsetAt = sunset === null ? Number.NaN : Date.parse(sunset);
      const successor = /<([^>]*)>\s*;\s*rel="?successor-version"?/.exec(
        response.headers.get("link") ?? "",
      )?.[1];
      notify({
        operation: `${request.method} ${schemaPath}`,
        ...(deprecation !== null ? { deprecation } : {}),
        ...(epoch !== undefined ? { deprecatedAt: new Date(Number(epoch) * 1000) } : {}),
        ...(!Number.isNaN(sunsetAt) ? { sunsetAt: new Date(sunsetAt) } : {}),
        ...(successor !== undefined ? { successor } : {}),
      });
      return response;
    },
  };
}

/**
 * The default deprecation handler: one line on stderr per deprecated operation per client, not
 * one per request.
 */
export function warnOncePerOperation(
  write: (line: string) => void = (line) => void process.stderr.write(line),
): (notice: DeprecationNotice) => void {
  const warned = new Set<string>();
  return (notice) => {
    if (warned.has(notice.operation)) return;
    warned.add(notice.operation);
    write(`warning: ${describeDeprecation(notice)}\n`);
  };
}

/** `GET /x is deprecated since 2026-10-01; it stops working on 2027-10-01; use /y`. */
export function describeDeprecation(notice: DeprecationNotice): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const parts = [
    `${notice.operation} is deprecated${notice.deprecatedAt ? ` since ${day(notice.deprecatedAt)}` : ""}`,
  ];
  if (notice.sunsetAt) parts.push(`it stops working on ${day(notice.sunsetAt)}`);
  if (notice.successor) parts.push(`use ${notice.successor}`);
  return parts.join("; ");
}
