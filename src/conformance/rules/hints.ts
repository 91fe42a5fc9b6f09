import type { RuleId } from "../model.ts";

/**
 * What to change in a service that fails each rule: one sentence a developer can act on. The
 * rule pages (docs/conformance-rules.md) repeat each hint under the rule's heading, and a test
 * keeps the two the same.
 */
export const HINTS: Readonly<Record<RuleId, string>> = {
  "CB-01":
    "Serve an OpenAPI 3.1 document generated from the code at /openapi.json, with info.version MAJOR.MINOR.PATCH, and fix what the static pass cites by JSON pointer.",
  "CB-02":
    "Add an API-Version header equal to info.version to every response, errors and 404s included (one hook at the outermost layer).",
  "CB-03": "Honour Accept-Version (major, or major.minor) and name it in Vary on every versioned response.",
  "CB-04":
    "Answer an unsupported Accept-Version with a 400 problem of type …/unsupported-api-version that lists the supported versions.",
  "CB-05":
    "Send every 4xx/5xx as application/problem+json with type, title and status, and serve a page at each type URI.",
  "CB-06":
    "Validate requests against the schema and list every failure in errors[] with a detail and a JSON pointer to the field.",
  "CB-07":
    "Map every error to a problem written for the client: catch parse errors and exceptions, and never send stack traces, file paths, SQL or a framework's default error page.",
  "CB-08":
    "Answer unknown paths with a 404 problem and undocumented methods on known paths with 405 and an Allow header.",
  "CB-09":
    "Require a bearer token on every operation not documented as public (security: []), answering 401 with WWW-Authenticate: Bearer, and 403 for a token without the scope.",
  "CB-10":
    "Make each success body a JSON object that matches the documented schema and status; document what you answer.",
  "CB-11":
    "Rename query parameters and properties to snake_case and path segments to plural kebab-case, without trailing slashes.",
  "CB-12":
    "Give every resource a string id, an etag, and RFC 3339 created_at/updated_at; reference others by *_id.",
  "CB-13":
    "Answer lists as {items, next_cursor} with a documented limit (default 50, at most 500), refusing an invalid limit with 400.",
  "CB-14":
    "Page with an opaque cursor over a stable order (e.g. created_at, id) so no item is skipped or repeated.",
  "CB-15":
    "Sign or encrypt cursors and bind them to the query; answer a tampered, made-up or mismatched cursor with 400.",
  "CB-16":
    "Support filter=field=value / != and sort=±field on documented fields; refuse unknown fields and operators with 400.",
  "CB-17": "Send a strong quoted ETag on every resource and answer If-None-Match with 304 when it matches.",
  "CB-18": "Require If-Match on writes and answer a stale one with 412, leaving the resource unchanged.",
  "CB-19": "Answer a create with 201, an absolute Location, and the same representation GET returns.",
  "CB-20":
    "Store Idempotency-Key answers: replay the same request's answer, refuse another body with 422, and make concurrent first uses safe.",
  "CB-21":
    "Send RateLimit-Policy and RateLimit (draft -10 syntax) on every response, with remaining counting down.",
  "CB-22":
    "Rate-limit per client: answer over quota with a 429 problem carrying Retry-After, and serve again after it.",
  "CB-23": "Mark deprecated operations with Deprecation: @<epoch> (and Sunset), and no other response.",
  "CB-24": "Answer an operation past its Sunset with a 410 problem.",
  "CB-25": "Echo X-Request-Id (or generate one) on every response and put it in the problem's instance.",
  "CB-26":
    "Answer DELETE with 204 and then 404 (or soft-delete with deleted_at, hidden from lists, restorable by …/undelete).",
  "CB-27":
    "Implement validate_only=true on writes: validate exactly as a real write would, and change nothing.",
  "CB-28": "Serve /health as application/health+json {status, version}, 200 for pass/warn and 503 for fail.",
  "CB-29":
    "Share state between nodes (cursors, ETags, idempotency keys, quotas) so any node answers like any other.",
  "CB-30":
    "Validate every input before use and document every status an operation can answer; no input may cause a 5xx.",
};

/** Where each rule is explained, relative to the repository (rendered on any Markdown host). */
export function ruleLink(rule: RuleId): string {
  return `docs/conformance-rules.md#${rule.toLowerCase()}`;
}
