/**
 * `api.js`: the token and the JSON API. The token comes in the URL fragment (`#token=…`), which
 * no server and no log sees; it is kept in sessionStorage for the tab and sent as a bearer token.
 */
export const API_JS = `const KEY = "opsdojo_token";

export function adoptToken() {
  const hash = location.hash.slice(1);
  if (!hash.startsWith("token=")) return;
  const token = new URLSearchParams(hash).get("token");
  if (token) sessionStorage.setItem(KEY, token);
  history.replaceState(null, "", location.pathname + location.search + "#/");
}

export function hasToken() {
  return Boolean(sessionStorage.getItem(KEY));
}

export function authHeaders(extra) {
  return Object.assign({ authorization: "Bearer " + sessionStorage.getItem(KEY) }, extra || {});
}

/** An error response as one line: the problem's title and detail. */
export async function problem(response) {
  let line = "HTTP " + response.status;
  try {
    const body = await response.json();
    if (body && body.title) line = body.title + (body.detail ? ": " + body.detail : "");
  } catch {
    // not a problem document
  }
  return new Error(line);
}

export async function getJson(path, signal) {
  const response = await fetch(path, { headers: authHeaders({ accept: "application/json" }), signal });
  if (!response.ok) throw await problem(response);
  return response.json();
}

export async function getText(path, accept, signal) {
  const response = await fetch(path, { headers: authHeaders({ accept }), signal });
  if (!response.ok) throw await problem(response);
  return response.text();
}
`;
