/**
 * The token and the JSON API. The token comes in the URL fragment (`#token=…`), which no server
 * and no log sees; it is kept in sessionStorage for the tab and sent as a bearer token.
 */
const KEY = "opsdojo_token";

export function adoptToken(): void {
  const hash = location.hash.slice(1);
  if (!hash.startsWith("token=")) return;
  const token = new URLSearchParams(hash).get("token");
  if (token) sessionStorage.setItem(KEY, token);
  history.replaceState(null, "", `${location.pathname}${location.search}#/`);
}

export function hasToken(): boolean {
  return Boolean(sessionStorage.getItem(KEY));
}

export function authHeaders(extra?: Record<string, string>): Record<string, string> {
  return { authorization: `Bearer ${sessionStorage.getItem(KEY)}`, ...extra };
}

/** An error response as one line: the problem's title and detail. */
export async function problem(response: Response): Promise<Error> {
  let line = `HTTP ${response.status}`;
  try {
    const body: unknown = await response.json();
    if (isProblem(body)) line = body.title + (body.detail ? `: ${body.detail}` : "");
  } catch {
    // not a problem document
  }
  return new Error(line);
}

function isProblem(body: unknown): body is { title: string; detail?: unknown } {
  return typeof body === "object" && body !== null && "title" in body && Boolean(body.title);
}

/** GET a JSON body; its type is the caller's word for it (see api-types.ts). */
export async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: authHeaders({ accept: "application/json" }), signal });
  if (!response.ok) throw await problem(response);
  return (await response.json()) as T;
}

/** The same, but null when the token lacks the scope (403): for what only some tokens may read. */
export async function getJsonIfAllowed<T>(path: string, signal: AbortSignal): Promise<T | null> {
  const response = await fetch(path, { headers: authHeaders({ accept: "application/json" }), signal });
  if (response.status === 403) return null;
  if (!response.ok) throw await problem(response);
  return (await response.json()) as T;
}

export async function getText(path: string, accept: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(path, { headers: authHeaders({ accept }), signal });
  if (!response.ok) throw await problem(response);
  return response.text();
}
