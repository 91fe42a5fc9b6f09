/**
 * The catalogue of problem types (RFC 9457). Each entry is served as a page at
 * `/problems/<slug>`, which is what the `type` URI of a problem resolves to; a test keeps this
 * catalogue, the pages and docs/api-conventions.md in sync.
 */
export const PROBLEMS = {
  "validation-failed": {
    status: 400,
    title: "The request is not valid",
    description:
      "One or more parts of the request (body, query parameters, path parameters) do not match the documented schema. Each problem is listed in `errors[]` with a `detail` and a JSON `pointer` into the part named by `in`.",
    action: "Correct each listed field and send the request again.",
  },
  "malformed-request": {
    status: 400,
    title: "The request body cannot be read",
    description:
      "The body is not well-formed JSON, is empty where a body is required, or is not a JSON object.",
    action: "Send a JSON object with `Content-Type: application/json`.",
  },
  "unsupported-api-version": {
    status: 400,
    title: "The requested API version is not served",
    description:
      "`Accept-Version` asked for a major (or major.minor) version that this server does not serve. The problem lists `supported_versions`.",
    action: "Send one of the supported versions, or omit `Accept-Version` to get the latest.",
  },
  "invalid-filter": {
    status: 400,
    title: "The filter or sort expression is not valid",
    description:
      "`filter` accepts `field op value` terms joined by `AND`, with ops `= != < <= > >=` and quoted string values; `sort` accepts `field` or `-field`. Only the documented fields may be used, with values of their type.",
    action: "Fix the expression at the position given in `detail`.",
  },
  "invalid-cursor": {
    status: 400,
    title: "The page cursor is not valid",
    description:
      "Cursors are opaque and signed. A cursor that was modified, that comes from another collection, or that is reused with a different `filter`, `sort` or `show_deleted` is refused.",
    action: "Start again from the first page (no `cursor`) with the filter and sort you want.",
  },
  unauthorized: {
    status: 401,
    title: "Authentication is required",
    description:
      "The operation needs a bearer token (`Authorization: Bearer odj_…`) and none, or an invalid, expired or revoked one, was sent.",
    action: "Create a token with `opsdojo token create --name NAME --scope read` and send it.",
  },
  forbidden: {
    status: 403,
    title: "The token lacks the scope this operation needs",
    description:
      "Tokens carry scopes `read`, `write` (change data), `execute` (make the server execute actions: operations, runs, scenarios, sessions) and `admin` (everything). `write` and `execute` each include `read` but not each other. The problem names the `required_scope`.",
    action: "Use a token with the required scope.",
  },
  "action-not-allowed": {
    status: 403,
    title: "This server does not execute that action",
    description:
      "The server runs with an allow-list of actions (`opsdojo serve --allow-actions`), and the operation or scenario uses an action outside it — a step, an explicit undo, or a check (`command` counts as `shell.run`, `http` as `http.request`). The problem names each `action`, `where` it is used, and the `allowed_actions`. It is checked at registration and again when a run or session starts.",
    action: "Use only the allowed actions, or ask whoever runs the server to allow this one.",
  },
  "not-found": {
    status: 404,
    title: "Nothing is here",
    description: "No resource or operation exists at this path (or the resource was deleted).",
    action: "Check the path against /openapi.json.",
  },
  "method-not-allowed": {
    status: 405,
    title: "The method is not allowed on this path",
    description:
      "The path exists but does not support this HTTP method. The `Allow` header lists the methods it supports.",
    action: "Use one of the methods in `Allow`.",
  },
  conflict: {
    status: 409,
    title: "The request conflicts with the current state",
    description: "For example a resource with the same unique name already exists.",
    action: "Read the current state and resolve the conflict.",
  },
  "idempotency-key-in-use": {
    status: 409,
    title: "A request with this Idempotency-Key is still in progress",
    description: "The first request with this key has not finished yet.",
    action: "Wait, then retry with the same key and body to receive the first request's response.",
  },
  gone: {
    status: 410,
    title: "This operation or version has been retired",
    description: "It was deprecated and its sunset date has passed.",
    action: "Use the successor named in `detail` (or the `Link` header).",
  },
  "precondition-failed": {
    status: 412,
    title: "The resource has changed",
    description: "`If-Match` named an ETag that is no longer current; nothing was changed.",
    action: "GET the resource again, re-apply your change, and send it with the new ETag.",
  },
  "precondition-required": {
    status: 428,
    title: "The change needs If-Match",
    description:
      "This resource is changed only by a client that names the version it read: a write without `If-Match` is refused, so that nobody overwrites a change they never saw. Nothing was changed.",
    action: "GET the resource, then send the write again with its ETag in `If-Match`.",
  },
  "payload-too-large": {
    status: 413,
    title: "The request body is too large",
    description: "Request bodies are limited to 1 MiB unless an operation documents otherwise.",
    action: "Send a smaller body, or use the streaming upload the operation documents.",
  },
  "unsupported-media-type": {
    status: 415,
    title: "The request body has an unsupported media type",
    description: "Bodies are JSON (`application/json`) unless an operation documents otherwise.",
    action: "Send `Content-Type: application/json`.",
  },
  "limit-exceeded": {
    status: 422,
    title: "The request goes past a limit of this server",
    description:
      "The work asked for is larger than the server is configured to do in one request (for example the activities of an event log to discover from). The problem names the `limit`, its `configured` value and how to raise it (`raise_with`).",
    action: "Split the input into smaller requests, or ask the operator to raise the named limit.",
  },
  "idempotency-key-reused": {
    status: 422,
    title: "The Idempotency-Key was already used with a different request",
    description: "An Idempotency-Key identifies one request; it was first used with another body or path.",
    action: "Use a fresh key for a different request.",
  },
  "secret-required": {
    status: 422,
    title: "The run needs its secrets again",
    description:
      "Secret params are never stored, so undoing or resuming a run that used them needs them again. `detail` names each missing param.",
    action: "Send them in the body (`params`), or declare `source: env:NAME` or `file:PATH` on the param.",
  },
  "rate-limited": {
    status: 429,
    title: "Too many requests",
    description:
      "The quota of the token (or client address) for the current window is used up. `Retry-After` says when it renews; `RateLimit` and `RateLimit-Policy` describe the quota.",
    action: "Wait `Retry-After` seconds, then retry.",
  },
  internal: {
    status: 500,
    title: "Internal error",
    description:
      "The server failed to handle the request. The failure is logged with the request id given in `instance`.",
    action: "Retry later; if it persists, report the request id.",
  },
  unavailable: {
    status: 503,
    title: "A dependency is unavailable",
    description: "The store or another dependency cannot be reached right now.",
    action: "Retry after a short wait.",
  },
} as const satisfies Record<string, ProblemSpec>;

export interface ProblemSpec {
  readonly status: number;
  readonly title: string;
  readonly description: string;
  readonly action: string;
}

export type ProblemSlug = keyof typeof PROBLEMS;

export const PROBLEM_SLUGS = Object.keys(PROBLEMS) as ProblemSlug[];
