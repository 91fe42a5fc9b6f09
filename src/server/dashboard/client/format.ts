/**
 * Turning API values into HTML. Every string from the API goes through `text()` before it is put
 * into markup; status words only pick a class from a fixed table.
 */
export function text(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TONES: Readonly<Record<string, string>> = {
  succeeded: "ok",
  committed: "ok",
  resolved: "ok",
  restored: "ok",
  pass: "ok",
  healthy: "ok",
  up: "ok",
  failed: "bad",
  refused: "bad",
  rollback_incomplete: "bad",
  interrupted: "bad",
  fail: "bad",
  down: "bad",
  running: "busy",
  queued: "busy",
  rolling_back: "busy",
  restoring: "busy",
  injecting: "busy",
  paused: "warn",
  warn: "warn",
  injected: "warn",
  degraded: "warn",
};

/** A status word, coloured by what it means (ok, bad, busy, warn, or idle for the rest). */
export function status(value: unknown): string {
  const word = String(value ?? "unknown");
  const tone = Object.hasOwn(TONES, word) ? TONES[word] : "idle";
  return `<span class="status ${tone}">${text(word)}</span>`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? text(iso) : text(date.toLocaleString());
}

export function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? text(iso) : text(date.toLocaleTimeString());
}

export function duration(ms: unknown): string {
  if (typeof ms !== "number") return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Route parts are put into API paths: an id is encoded, never trusted as a path. */
export function idPath(id: string | undefined): string {
  return encodeURIComponent(id ?? "");
}

export function empty(columns: number, words: string): string {
  return `<tr><td class="empty" colspan="${columns}">${text(words)}</td></tr>`;
}
