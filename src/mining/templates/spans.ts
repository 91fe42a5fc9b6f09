/**
 * Values written over several tokens — one value, though a message split at whitespace gives
 * more than one token:
 *
 * - a date written out as programs print one: `ctime`/`asctime` and `date`
 *   (`Mon Jul 25 03:13:58 2005`, `Sat Jul  9 22:53:22 EDT 2005`), the syslog timestamp of
 *   RFC 3164 (`Jul 25 03:13:58`) and the date of RFC 5322 and HTTP (`Mon, 25 Jul 2005 03:13:58
 *   +0000`);
 * - an ISO 8601 date and time with a space between them, as SQL and Python print one
 *   (`2017-05-16 22:00:00.123`, optionally with a zone);
 * - the request target and protocol version of an HTTP request line (RFC 9112: `method SP
 *   request-target SP HTTP-version`): `"GET /v2/servers/detail HTTP/1.1"` is `"GET <*>"`. The
 *   method says what happens; which resource, over which version, is the request's value.
 *
 * Every check is by shape — letters, digit-run lengths, punctuation, where whitespace is — never
 * by the value of a digit: the skeleton cache key (`skeleton.ts`) relies on that, as two messages
 * with one skeleton must have one signature. A span starts at the token `spanValueEnd` is asked
 * about; the mask of the span is the opening punctuation of its first token, one `<*>`, and the
 * rest of its last token after the value (`(Sat Jul 9 22:53:22 2005),` → `(<*>),`).
 */

const DAY = 1;
const MONTH = 2;
/** Day and month names, by kind: one lookup tells which a word is. */
const DATE_NAMES = new Map<string, number>([
  ...("Mon Tue Wed Thu Fri Sat Sun".split(" ").map((d) => [d, DAY]) as [string, number][]),
  ...("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ").map((m) => [m, MONTH]) as [
    string,
    number,
  ][]),
]);
const METHODS = new Set("GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH".split(" "));

/**
 * What may precede a value in the first token of a span `s[start, end)`: one opening mark (`(`,
 * `[`, `{`, `"`, `'`) or a key (`when=2017-07-07 21:33:12` is `when=<*>`). A value that starts
 * a span fills the rest of its token — a date name is three letters (four with a comma), an ISO
 * date ten characters — so a key's `=` can only sit just before those: no scan of the token.
 */
export function openingLength(s: string, start: number, end: number): number {
  const c = s.charCodeAt(start);
  if (c === 40 || c === 91 || c === 123 || c === 34 || c === 39) return 1;
  for (const length of KEYED_VALUE_LENGTHS) {
    const at = end - length - 1;
    if (at > start && s.charCodeAt(at) === 61) return at + 1 - start;
  }
  return 0;
}

const KEYED_VALUE_LENGTHS = [10, 3, 4];

/**
 * A cheap necessary condition for `spanValueEnd`, checked first on the hot path: a date name ends
 * its token (`Mon`, `(Sat`, `at=Mon`, `Mon,`), an ISO date does (`…2017-05-16`), or a request
 * target (`/…`, `http://…`) follows what may be a method (three to seven capitals).
 */
export function maySpan(s: string, start: number, end: number, prevStart: number, prevEnd: number): boolean {
  const len = end - start;
  if (len >= 3 && nameEndsAt(s, start, end)) return true;
  if (len >= 4 && s.charCodeAt(end - 1) === 44 && nameEndsAt(s, start, end - 1)) return true;
  if (len >= 10 && s.charCodeAt(end - 6) === 45 && s.charCodeAt(end - 3) === 45) return true;
  const before = prevEnd - prevStart;
  if (before < 3 || before > 8 || !isUpper(s.charCodeAt(prevEnd - 1)) || !isUpper(s.charCodeAt(prevEnd - 2)))
    return false;
  const c = s.charCodeAt(start);
  return c === 47 || c === 104 || c === 72;
}

/** Whether `s[start, end)` ends with a capitalised three-letter word (`Jul`, `(Sat`, `x=Mon`). */
function nameEndsAt(s: string, start: number, end: number): boolean {
  if (!isUpper(s.charCodeAt(end - 3)) || !isLower(s.charCodeAt(end - 2)) || !isLower(s.charCodeAt(end - 1)))
    return false;
  if (end - 3 === start) return true;
  const c = s.charCodeAt(end - 4);
  return !(isUpper(c) || isLower(c));
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * Where the value of a multi-token span that starts at the token `s[start, end)` ends (a position
 * inside its last token), or -1 when no span starts there. `prevStart`/`prevEnd` are the token
 * before (-1 when there is none): an HTTP request target needs its method there.
 */
export function spanValueEnd(
  s: string,
  start: number,
  end: number,
  n: number,
  prevStart: number,
  prevEnd: number,
): number {
  if (prevEnd - prevStart >= 3 && prevEnd - prevStart <= 8) {
    const request = requestEnd(s, start, end, n, prevStart, prevEnd);
    if (request >= 0) return request;
  }
  const v = start + openingLength(s, start, end);
  const c = s.charCodeAt(v);
  if (c >= 65 && c <= 90) return writtenDateEnd(s, v, end, n);
  if (c >= 48 && c <= 57) return isoDateTimeEnd(s, v, end, n);
  return -1;
}

/** The end of the whitespace-delimited token starting at `i`. */
export function tokenEnd(s: string, i: number, n: number): number {
  let j = i;
  while (j < n && !isBlank(s.charCodeAt(j))) j++;
  return j;
}

/** The start of the next token at or after `i`, or -1. */
function nextToken(s: string, i: number, n: number): number {
  let j = i;
  while (j < n && isBlank(s.charCodeAt(j))) j++;
  return j < n && j > i ? j : -1;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Digits from `i`: how many (stops at `max + 1`). */
function digitsAt(s: string, i: number, end: number, max: number): number {
  let k = 0;
  while (i + k < end && k <= max && isDigit(s.charCodeAt(i + k))) k++;
  return k;
}

/** Whether a value ending at `j` may end there: the token ends, or goes on with punctuation. */
function valueBoundary(s: string, j: number, end: number): boolean {
  if (j >= end) return true;
  const c = s.charCodeAt(j);
  // Not a letter, digit, `_` or `:` (which would make `12:30:01:7` another shape).
  return !(isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 128);
}

/** A whole token of 1–2 digits (a day of the month) at `i`, else -1 (its end otherwise). */
function dayAt(s: string, i: number, n: number): number {
  if (i < 0) return -1;
  const e = tokenEnd(s, i, n);
  const d = e - i;
  return (d === 1 || d === 2) && digitsAt(s, i, e, 2) === d ? e : -1;
}

/** `hh:mm:ss` with optional fractions (`.123`, `,123`) at `i`: the end of it, or -1. */
function timeAt(s: string, i: number, end: number): number {
  if (i < 0 || i + 8 > end) return -1;
  if (digitsAt(s, i, end, 2) !== 2 || s.charCodeAt(i + 2) !== 58) return -1;
  if (digitsAt(s, i + 3, end, 2) !== 2 || s.charCodeAt(i + 5) !== 58) return -1;
  if (digitsAt(s, i + 6, end, 2) !== 2) return -1;
  let j = i + 8;
  const f = s.charCodeAt(j);
  if ((f === 46 || f === 44) && isDigit(s.charCodeAt(j + 1))) {
    j++;
    while (j < end && isDigit(s.charCodeAt(j))) j++;
  }
  return j;
}

/** The kind (`DAY`, `MONTH`) of a three-letter name that is the whole token `s[i, end)` (or followed by `,`), else 0. */
function nameAt(s: string, i: number, end: number): number {
  const len = end - i;
  if (len !== 3 && !(len === 4 && s.charCodeAt(i + 3) === 44)) return 0;
  return DATE_NAMES.get(s.slice(i, i + 3)) ?? 0;
}

/**
 * `[Day] Mon D hh:mm:ss [ZONE] [yyyy]` (ctime, `date`, syslog) or `Day, D Mon yyyy hh:mm:ss
 * [zone]` (RFC 5322, HTTP): the end of the value, or -1. A month, a day and a time at least.
 */
function writtenDateEnd(s: string, v: number, end: number, n: number): number {
  // Cheap first: a name is three letters, alone or with a comma.
  const kind = nameAt(s, v, end);
  if (kind === DAY) {
    const next = nextToken(s, end, n);
    if (next < 0) return -1;
    if (s.charCodeAt(v + 3) === 44) return rfcDateEnd(s, next, n);
    const monthEnd = tokenEnd(s, next, n);
    return monthEnd - next === 3 && nameAt(s, next, monthEnd) === MONTH ? ctimeRestEnd(s, monthEnd, n) : -1;
  }
  return kind === MONTH && end - v === 3 ? ctimeRestEnd(s, end, n) : -1;
}

/** After the month of a ctime date: ` D hh:mm:ss [ZONE] [yyyy]`. */
function ctimeRestEnd(s: string, monthEnd: number, n: number): number {
  const dayEnd = dayAt(s, nextToken(s, monthEnd, n), n);
  if (dayEnd < 0) return -1;
  const at = nextToken(s, dayEnd, n);
  const timeEnd = timeAt(s, at, at < 0 ? 0 : tokenEnd(s, at, n));
  if (timeEnd < 0) return -1;
  const timeTokenEnd = tokenEnd(s, at, n);
  if (timeEnd < timeTokenEnd) return valueBoundary(s, timeEnd, timeTokenEnd) ? timeEnd : -1;
  // A year, or a zone and a year: `2005`, `EDT 2005`.
  let next = nextToken(s, timeEnd, n);
  if (next < 0) return timeEnd;
  let nextEnd = tokenEnd(s, next, n);
  const zone = zoneLength(s, next, nextEnd);
  if (zone > 0 && zone === nextEnd - next) {
    const year = nextToken(s, nextEnd, n);
    if (year < 0 || !isYear(s, year, tokenEnd(s, year, n))) return timeEnd;
    next = year;
    nextEnd = tokenEnd(s, year, n);
  }
  return isYear(s, next, nextEnd) ? next + 4 : timeEnd;
}

/** After `Day,`: `D Mon yyyy hh:mm:ss [zone]`. */
function rfcDateEnd(s: string, dayStart: number, n: number): number {
  const dayEnd = dayAt(s, dayStart, n);
  if (dayEnd < 0) return -1;
  const month = nextToken(s, dayEnd, n);
  if (month < 0) return -1;
  const monthEnd = tokenEnd(s, month, n);
  if (monthEnd - month !== 3 || nameAt(s, month, monthEnd) !== MONTH) return -1;
  const year = nextToken(s, monthEnd, n);
  if (year < 0 || digitsAt(s, year, n, 4) !== 4 || tokenEnd(s, year, n) !== year + 4) return -1;
  const at = nextToken(s, year + 4, n);
  if (at < 0) return -1;
  const atEnd = tokenEnd(s, at, n);
  const timeEnd = timeAt(s, at, atEnd);
  if (timeEnd < 0 || !valueBoundary(s, timeEnd, atEnd)) return -1;
  if (timeEnd < atEnd) return timeEnd;
  const zone = nextToken(s, timeEnd, n);
  if (zone < 0) return timeEnd;
  const zoneEnd = tokenEnd(s, zone, n);
  const z = zoneLength(s, zone, zoneEnd);
  return z > 0 && valueBoundary(s, zone + z, zoneEnd) ? zone + z : timeEnd;
}

/** `yyyy` as the whole token, or followed by punctuation (`2005)`). */
function isYear(s: string, i: number, end: number): boolean {
  return digitsAt(s, i, end, 4) === 4 && valueBoundary(s, i + 4, end);
}

/**
 * The length of a time zone at `i`: `+0000`, `-05:00`, or two to five capitals (`UTC`, `EDT`,
 * `CEST`); 0 when there is none.
 */
function zoneLength(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    if (digitsAt(s, i + 1, end, 4) === 4) return 5;
    if (digitsAt(s, i + 1, end, 2) === 2 && s.charCodeAt(i + 3) === 58 && digitsAt(s, i + 4, end, 2) === 2)
      return 6;
    return 0;
  }
  let k = 0;
  while (i + k < end && k <= 5) {
    const d = s.charCodeAt(i + k);
    if (d < 65 || d > 90) break;
    k++;
  }
  return k >= 2 && k <= 5 ? k : 0;
}

/** `yyyy-mm-dd hh:mm:ss[.fff][zone]` with a space (or more) between date and time, or -1. */
function isoDateTimeEnd(s: string, v: number, end: number, n: number): number {
  if (end - v !== 10 || s.charCodeAt(v + 4) !== 45 || s.charCodeAt(v + 7) !== 45) return -1;
  if (digitsAt(s, v, end, 4) !== 4 || digitsAt(s, v + 5, end, 2) !== 2 || digitsAt(s, v + 8, end, 2) !== 2)
    return -1;
  const at = nextToken(s, end, n);
  if (at < 0) return -1;
  const atEnd = tokenEnd(s, at, n);
  const timeEnd = timeAt(s, at, atEnd);
  if (timeEnd < 0) return -1;
  // A zone stuck to the time (`Z`, `+02:00`), or as the next token (`+0000`, `UTC`).
  if (s.charCodeAt(timeEnd) === 90 && valueBoundary(s, timeEnd + 1, atEnd)) return timeEnd + 1;
  const c = s.charCodeAt(timeEnd);
  if (c === 43 || c === 45) {
    const z = zoneLength(s, timeEnd, atEnd);
    return z > 0 && valueBoundary(s, timeEnd + z, atEnd) ? timeEnd + z : -1;
  }
  if (!valueBoundary(s, timeEnd, atEnd)) return -1;
  if (timeEnd < atEnd) return timeEnd;
  const zone = nextToken(s, timeEnd, n);
  if (zone < 0) return timeEnd;
  const zoneEnd = tokenEnd(s, zone, n);
  const z = zoneLength(s, zone, zoneEnd);
  // Only a numeric zone or UTC/GMT: other capitals after a time are more likely words (`INFO`).
  const named = z === 3 && (s.startsWith("UTC", zone) || s.startsWith("GMT", zone));
  const numeric = s.charCodeAt(zone) === 43 || s.charCodeAt(zone) === 45;
  return z > 0 && (named || numeric) && valueBoundary(s, zone + z, zoneEnd) ? zone + z : timeEnd;
}

/**
 * The target and version of an HTTP request line: the token before is a method (alone or after
 * a `"`), this token the target (origin-form `/…`, or absolute-form `http://…`), and the next
 * token `HTTP/1.1`, `HTTP/2`. The end of the version, or -1.
 */
function requestEnd(
  s: string,
  start: number,
  end: number,
  n: number,
  prevStart: number,
  prevEnd: number,
): number {
  // Cheap checks first: this runs for every token after a short one.
  const method = prevStart + (s.charCodeAt(prevStart) === 34 ? 1 : 0);
  const first = s.charCodeAt(method);
  const last = s.charCodeAt(prevEnd - 1);
  if (first < 65 || first > 90 || last < 65 || last > 90) return -1;
  const at = nextToken(s, end, n);
  if (at < 0 || s.charCodeAt(at) !== 72 || !s.startsWith("HTTP/", at)) return -1;
  if (s.charCodeAt(start) !== 47 && !hasScheme(s, start, end)) return -1;
  const len = prevEnd - method;
  if (len < 3 || len > 7 || !METHODS.has(s.slice(method, prevEnd))) return -1;
  const atEnd = tokenEnd(s, at, n);
  let j = at + 5;
  const major = digitsAt(s, j, atEnd, 1);
  if (major !== 1) return -1;
  j++;
  if (s.charCodeAt(j) === 46 && digitsAt(s, j + 1, atEnd, 1) === 1) j += 2;
  return valueBoundary(s, j, atEnd) ? j : -1;
}

/** `http://` or `https://` (any case) at `start`: an absolute-form target. */
function hasScheme(s: string, start: number, end: number): boolean {
  const head = s.slice(start, Math.min(end, start + 8)).toLowerCase();
  return head.startsWith("http://") || head.startsWith("https://");
}
