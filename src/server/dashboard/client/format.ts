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

/** What runStatus and targetStatus read of a run or one of its targets. */
interface WithStatus {
  readonly status: string;
  readonly failure?: unknown;
  readonly held?: unknown;
}

/**
 * "rolled_back" tells three stories (docs/operations.md, "The journal and crash safety"): a run
 * that failed and was rolled back, a run undone on request, a target that failed itself or was
 * only undone with the run. Each gets its own tone and a few words (the CLI's words, run-status.ts).
 */
export function runStatus(run: WithStatus): string {
  // A run whose node died and that waits for a person (on_node_loss: hold, docs/operations.md).
  if (run.held && run.status === "interrupted")
    return '<span class="status warn">interrupted</span> <span class="why">held: resume or undo it</span>';
  if (run.status !== "rolled_back") return status(run.status);
  return run.failure
    ? '<span class="status warn">rolled_back</span> <span class="why">failed, every change undone</span>'
    : '<span class="status ok">rolled_back</span> <span class="why">undone on request</span>';
}

export function targetStatus(target: WithStatus): string {
  if (target.status !== "rolled_back") return status(target.status);
  return target.failure
    ? '<span class="status bad">rolled_back</span> <span class="why">failed here</span>'
    : '<span class="status idle">rolled_back</span> <span class="why">undone with the run</span>';
}

/**
 * An event's data as "key: value · key: value", text values as they are: JSON.stringify would
 * show a value holding quotes as \"escaped\" ones, which nobody reads well. Plain text, not
 * HTML: the caller escapes it with `text()`.
 */
export function fields(data: unknown): string {
  if (data === null || typeof data !== "object") return data === undefined ? "" : JSON.stringify(data);
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

// One time format everywhere on the dashboard (docs/dashboard.md, "Times"): the browser's local
// time, 24-hour, in ISO 8601 order — what the people in front of the screen live by — with the
// offset and the UTC instant on hover, so it can be matched with the CLI's and the logs' UTC.
const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-05-01 22:05:09` in the browser's zone (plain text). */
export function localDateTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${localClock(date)}`;
}

/** `22:05:09` in the browser's zone (plain text). */
export function localClock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `UTC+02:00`: the browser's offset from UTC at that instant. */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function timeElement(iso: string, shown: (date: Date) => string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return text(iso);
  const utc = `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  const hover = `${localDateTime(date)} ${utcOffset(date)} (${utc})`;
  return `<time datetime="${text(date.toISOString())}" title="${text(hover)}">${text(shown(date))}</time>`;
}

/** A date and time: local, 24-hour, the offset on hover (HTML). */
export function when(iso: string | null | undefined): string {
  return iso ? timeElement(iso, localDateTime) : "—";
}

/** A time of day within a page: local, 24-hour, the offset on hover (HTML). */
export function clock(iso: string): string {
  return timeElement(iso, localClock);
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
