import { maySpan, openingLength, spanValueEnd, tokenEnd } from "./spans.ts";

// A local copy: an imported binding costs a lookup per use on this hot path.
const WILDCARD = "<*>";

/** The masking choices made by measurement (see `options.ts`). */
export interface MaskRules {
  readonly valueWords: boolean;
  readonly hashedValues: boolean;
}

const DEFAULT_RULES: MaskRules = { valueWords: true, hashedValues: true };

/**
 * Token classes: which parts of a message are parameters, decided from the text alone — no
 * per-data-set expression. A message is split at whitespace into tokens; a token is split into
 * words at punctuation; each word is a parameter or not:
 *
 * - numbers of any kind (`42`, `-7`, `3.5`, `0x1f`, `10.0.0.1`, `2015-10-18`, `12:30:01`, `64KB`,
 *   `500ms`), hex and ids (`a64f992`, `blk_-3544`, `appattempt_1445_0020_01`, UUIDs): a word with
 *   digits — except one digit inside a name (`ssh2`, `eth1`, `log4j`), which stays (the miner
 *   compares such names digit-blind: `numbered-names.ts`);
 * - absolute paths (`/etc/httpd/conf`) and URLs (`http://host/x`): the whole piece;
 * - `true`, `false`, `null` and the user names `root`, `admin` (the Loghub labelling guidelines;
 *   a measured choice, `MaskRules.valueWords`, as is `#011#` as one value, `hashedValues`);
 * - day and month names (`Sat`, `Jul`): parts of a date written out;
 * - host:port and ip:port fall out of the rules above (`10.0.0.1:80` → `<*>`).
 *
 * Adjacent parameters joined by `.` become one (`10.0.0.1` → `<*>`, not `<*>.<*>.<*>.<*>`); other
 * punctuation stays (`10.0.0.1:80` → `<*>:<*>`), so the masked text is also the template text.
 */

// Character classes by code (ASCII); everything from 128 up is a word character.
const WORD = 1; // letters, digits, `_`
const DIGIT = 2;
const LETTER = 4;
/** Ends a path piece (`file=/a/b` → `file=<*>`). */
const PATH_END = 8;
/** Joins two parameters into one (`1.2.3`). */
const JOINER = 16;

const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = WORD | DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = WORD | LETTER;
for (let c = 97; c <= 122; c++) CLASS[c] = WORD | LETTER;
// Not word breaks either (as in the Loghub labelling guidelines): `a~b`, `x*`, `<1`, `C:\\dir`.
for (const ch of "_~*?<>\\^`") CLASS[ch.charCodeAt(0)] = WORD;
for (const ch of " \t,!;:=|\"'[](){}") CLASS[ch.charCodeAt(0)] = (CLASS[ch.charCodeAt(0)] ?? 0) | PATH_END;
CLASS[46] = (CLASS[46] ?? 0) | JOINER; // `.` only: `10.0.0.1:80` is `<*>:<*>` in the Loghub labels

const MINUS = 45;
const SLASH = 47;
const UNDERSCORE = 95;

function classOf(code: number): number {
  return code < 128 ? (CLASS[code] ?? 0) : WORD | LETTER;
}

/** `true`, `false`, `null`, `root`, `admin` in any case: values, not words of the message. */
function isValueWord(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n === 3) return DATE_NAMES.has(s.slice(start, end));
  if (n !== 4 && n !== 5) return false;
  const w = s.slice(start, end).toLowerCase();
  return w === "true" || w === "null" || w === "root" || w === "false" || w === "admin";
}

/** Days and months in a date written out (`at Sat Jul  9 22:53:22 2005`): parts of a value. */
const DATE_NAMES = new Set(
  "Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" "),
);

/**
 * The masked form of one token `s[start, end)`: parameter words replaced by `<*>` (and runs of
 * them joined by `.:/@#` collapsed into one). Returns the token itself when nothing is masked.
 */
export function maskToken(s: string, start: number, end: number, rules: MaskRules = DEFAULT_RULES): string {
  let out = "";
  let pending = start; // start of text not yet copied to `out`
  let lastVarEnd = -1; // where the last `<*>` written to `out` ended in `s`
  let dotted = false; // whether the last parameter spans a `.` (an IP, a version): `:port` joins it
  let nameStart = -1; // the last name with a digit (`v2`), which a joined number takes in
  let nameEnd = -1;
  let i = start;
  // URL: scheme://… is one parameter up to the end of the token (minus closing punctuation).
  const scheme = schemeEnd(s, start, end);
  if (scheme > start) {
    let b = scheme;
    while (b > start && classOf(s.charCodeAt(b - 1)) & WORD) b--;
    let e = end;
    while (e > scheme + 3 && isClosing(s.charCodeAt(e - 1))) e--;
    // What comes before the scheme in the token (`id=7-http://…`) is masked like any token.
    if (b < scheme) return maskToken(s, start, b, rules) + WILDCARD + s.slice(e, end);
  }
  while (i < end) {
    const c = s.charCodeAt(i);
    const k = classOf(c);
    if (c === SLASH && (i === start || classOf(s.charCodeAt(i - 1)) & PATH_END) && i + 1 < end) {
      // An absolute path: from here to the next path delimiter.
      const next = s.charCodeAt(i + 1);
      if (next !== SLASH && !(classOf(next) & PATH_END)) {
        let j = i + 1;
        while (j < end && !(classOf(s.charCodeAt(j)) & PATH_END)) j++;
        out += lastVarEnd >= 0 && joins(s, lastVarEnd, i) ? "" : s.slice(pending, i) + WILDCARD;
        pending = j;
        lastVarEnd = j;
        i = j;
        continue;
      }
    }
    const fixed = k & WORD ? fixedShapeAt(s, i, end) : 0;
    if (fixed > 0) {
      // A MAC address, a UUID or an ISO date (and time): one parameter, though made of words.
      out += lastVarEnd >= 0 && joins(s, lastVarEnd, i) ? "" : s.slice(pending, i) + WILDCARD;
      pending = lastVarEnd = i = i + fixed;
      continue;
    }
    if (
      k & WORD ||
      (c === MINUS && i + 1 < end && classOf(s.charCodeAt(i + 1)) & DIGIT && signStart(s, i, start))
    ) {
      // A word: letters, digits, `_`; `-` before a digit when it is a sign or follows `_` (blk_-12).
      let j = c === MINUS ? i + 1 : i;
      let digits = 0;
      let lastDigit = -1;
      let letters = 0;
      while (j < end) {
        const d = s.charCodeAt(j);
        const dk = classOf(d);
        if (dk & DIGIT) {
          digits++;
          lastDigit = j;
        } else if (dk & LETTER) letters++;
        else if (
          !(dk & WORD) &&
          !(d === MINUS && s.charCodeAt(j - 1) === UNDERSCORE && classOf(s.charCodeAt(j + 1)) & DIGIT)
        )
          break;
        j++;
      }
      // A word of one to four hex digits before a `:` may start an IPv6 address (checked here, at
      // the end of a word, rather than at every word's start: most words are not followed by `:`).
      if (j - i <= 4 && s.charCodeAt(j) === 58 && c !== MINUS) {
        const v6 = ipv6At(s, i, end);
        if (v6 > 0) {
          out += lastVarEnd >= 0 && joins(s, lastVarEnd, i) ? "" : s.slice(pending, i) + WILDCARD;
          pending = lastVarEnd = i = i + v6;
          continue;
        }
      }
      // One digit after letters makes a name (`ssh2`, `eth1`, `log4j`), unless it is joined to a
      // parameter (`v2.6.9`, `<*>:e3`).
      const name =
        digits === 1 && letters > 0 && lastDigit > i && (classOf(s.charCodeAt(lastDigit - 1)) & LETTER) !== 0;
      const joined = lastVarEnd >= 0 && (joins(s, lastVarEnd, i) || (dotted && portAt(s, lastVarEnd, i, j)));
      const variable = digits > 0 ? !name || joined : letters > 0 && rules.valueWords && isValueWord(s, i, j);
      if (variable) {
        if (joined) {
          // `<*>.<*>` → `<*>`: drop the joiner, keep the one wildcard already written.
          dotted ||= s.charCodeAt(i - 1) === 46;
        } else if (nameEnd >= 0 && nameStart >= pending && joins(s, nameEnd, i)) {
          out += s.slice(pending, nameStart) + WILDCARD; // `v2.6` → `<*>`
        } else {
          out += s.slice(pending, i) + WILDCARD;
          dotted = false;
        }
        pending = j;
        lastVarEnd = j;
      } else if (name) {
        nameStart = i;
        nameEnd = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (pending === start) {
    const token = s.slice(start, end);
    return token.includes(".") ? maskHosts(token) : token;
  }
  const masked = pending < end ? out + s.slice(pending, end) : out;
  let hosts = masked.includes(".") ? maskHosts(masked) : masked;
  if (hosts.includes("-<*>/<*>") || hosts.includes("-<*>:<*>"))
    hosts = hosts.replace(NAMED_ADDRESS, WILDCARD);
  return rules.hashedValues && hosts.includes("#") ? hosts.replace(HASHED, WILDCARD) : hosts;
}

/**
 * A numbered host with its address or port, as Java prints a socket address: `msra-sa-41/10.0.0.5:8030`
 * and `node-12:8030` are one value.
 */
const NAMED_ADDRESS = /(?<![\w.-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-<\*>(?:[/:]<\*>)+/g;

/** `#<*>#` is one parameter (`#011#`), but not inside `<*>##<*>##<*>`. */
const HASHED = /(?<!#)#<\*>#(?!#)/g;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * The length of a value with a fixed shape starting at `i`, or 0: a MAC address
 * (`00:1a:e3:ba:c3:0f`, where `ba` has no digit), an IPv6 address whose first group has two
 * characters, a UUID, an ISO date with an optional time (`2024-05-01`, `2024-05-01T10:00:00Z`).
 * Other IPv6 addresses are found at the end of their first word (`maskToken`), at its `:`.
 */
function fixedShapeAt(s: string, i: number, end: number): number {
  const c2 = s.charCodeAt(i + 2);
  if (c2 === 58) return shapeAt(s, i, end, MAC) || ipv6At(s, i, end);
  if (s.charCodeAt(i + 4) === 45) {
    const date = shapeAt(s, i, end, ISO_DATE);
    if (date === 0) return 0;
    const time = s.charCodeAt(i + 10) === 84 ? shapeAt(s, i + 11, end, ISO_TIME) : 0;
    if (time === 0) return date;
    let j = i + 11 + time;
    while (j < end && (classOf(s.charCodeAt(j)) & DIGIT || s.charCodeAt(j) === 46)) j++;
    if (s.charCodeAt(j) === 90)
      j++; // Z
    else if (s.charCodeAt(j) === 43 || s.charCodeAt(j) === 45) j += shapeAt(s, j + 1, end, ZONE) > 0 ? 6 : 0;
    return boundary(s, j, end) ? j - i : date;
  }
  if (s.charCodeAt(i + 8) === 45) return shapeAt(s, i, end, UUID);
  return 0;
}

/**
 * The length of an IPv6 address at `i` (RFC 4291, as RFC 5952 writes it), or 0: groups of one to
 * four hex digits joined by `:` — eight of them, or fewer with one `::` — with a digit somewhere,
 * so that `12:30:01` (a time, three groups) and `Foo::bar` (a C++ name) are not one.
 */
function ipv6At(s: string, i: number, end: number): number {
  let j = i;
  let groups = 0;
  let compressed = false;
  let digit = false;
  for (;;) {
    let k = 0;
    while (k <= 4 && j + k < end && isHex(s.charCodeAt(j + k))) {
      if (s.charCodeAt(j + k) <= 57) digit = true;
      k++;
    }
    if (k === 0 || k > 4) return 0;
    j += k;
    groups++;
    if (groups > 8 || s.charCodeAt(j) !== 58) break;
    const double = s.charCodeAt(j + 1) === 58;
    const next = j + (double ? 2 : 1);
    if (double && compressed) return 0;
    if (next >= end || !isHex(s.charCodeAt(next))) {
      // `fe80::` ends with its `::`; a single `:` after the last group is punctuation (`…:467f:`).
      if (double) {
        compressed = true;
        j = next;
      }
      break;
    }
    compressed ||= double;
    j = next;
  }
  if (groups > 8 || !digit || !(groups === 8 || compressed)) return 0;
  return boundary(s, j, end) ? j - i : 0;
}

// Shapes: `h` a hex digit, `d` a decimal digit, anything else itself.
const MAC = "hh:hh:hh:hh:hh:hh";
const UUID = "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh";
const ISO_DATE = "dddd-dd-dd";
const ISO_TIME = "dd:dd:dd";
const ZONE = "dd:dd";

function shapeAt(s: string, i: number, end: number, shape: string): number {
  if (i + shape.length > end) return 0;
  for (let k = 0; k < shape.length; k++) {
    const want = shape.charCodeAt(k);
    const c = s.charCodeAt(i + k);
    if (want === 104 ? !isHex(c) : want === 100 ? !(c >= 48 && c <= 57) : c !== want) return 0;
  }
  // A date may go on with `T` and a time, a time with fractions or a zone: the caller checks.
  const next = s.charCodeAt(i + shape.length);
  const open = shape === ISO_TIME || shape === ZONE || (shape === ISO_DATE && next === 84);
  return open || boundary(s, i + shape.length, end) ? shape.length : 0;
}

function boundary(s: string, j: number, end: number): boolean {
  return j >= end || !(classOf(s.charCodeAt(j)) & WORD);
}

/**
 * Host names with a parameter in them are one parameter: `MSRA-SA-<*>.corp.example.com` and
 * `proxy.example.edu:<*>` (host:port) become `<*>`. A dotted name needs two dots, or a port, so
 * that `<*>.dll` stays a file name.
 */
function maskHosts(masked: string): string {
  return masked.replace(HOST, (match: string, run: string, port: string | undefined) => {
    // Host names have no `_` (`ib_sm_sweep.c:<*>` is a file and line) and end in letters.
    if (run.includes("_") || !/[A-Za-z]{2,}$/.test(run)) return match;
    // A name with capitals and no parameter is a field (`state.clipTopAmount:<*>`), not a host.
    if (!run.includes(WILDCARD) && /[A-Z]/.test(run)) return match;
    const dots = run.split(".").length - 1;
    if (!run.includes(WILDCARD) && !port && dots >= 2 && /^[a-z0-9-.]+$/.test(run)) {
      // A host name without a number: three or more parts, ending in a common top-level domain.
      return TOP_LEVEL_DOMAINS.has(run.slice(run.lastIndexOf(".") + 1)) ? WILDCARD : match;
    }
    if (!(run.includes(WILDCARD) || port) || (dots < 2 && !(port && dots >= 1))) return match;
    return WILDCARD;
  });
}

const TOP_LEVEL_DOMAINS = new Set(
  "com net org edu gov mil int info biz io local lan internal cn hk jp kr tw uk de fr nl it es ru br in au ca us eu ch se".split(
    " ",
  ),
);

const HOST = /((?:[A-Za-z0-9_-]|<\*>)+(?:\.(?:[A-Za-z0-9_-]|<\*>)+)+)(:<\*>)?/g;

/** Where `://` starts in `s[start, end)`, or -1 (searched by hand: `indexOf` would run to the end of `s`). */
function schemeEnd(s: string, start: number, end: number): number {
  for (let i = start + 1; i + 2 < end; i++) {
    if (s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) return i;
  }
  return -1;
}

/** Whether `s[a, b)` — the text between two parameters — is nothing or one joiner (`.:/@#`). */
function joins(s: string, a: number, b: number): boolean {
  if (b === a) return true;
  return b === a + 1 && (classOf(s.charCodeAt(a)) & JOINER) !== 0;
}

/** `:80` after an IP: `s[a]` is `:` and the word `s[i, j)` is all digits. */
function portAt(s: string, a: number, i: number, j: number): boolean {
  if (i !== a + 1 || s.charCodeAt(a) !== 58) return false;
  for (let k = i; k < j; k++) if (!(classOf(s.charCodeAt(k)) & DIGIT)) return false;
  return true;
}

/** A `-` at `i` is a sign when nothing word-like precedes it (`-5`, `(-5`, `=-5`). */
function signStart(s: string, i: number, start: number): boolean {
  if (i === start) return true;
  const p = s.charCodeAt(i - 1);
  return p === UNDERSCORE || !(classOf(p) & WORD);
}

/** What may follow a URL in its token: closing marks, and `:` (`… x-coredata://a/b:` as a label). */
function isClosing(c: number): boolean {
  return (
    c === 58 || c === 41 || c === 93 || c === 125 || c === 44 || c === 59 || c === 46 || c === 34 || c === 39
  );
}

/** Whether a character is whitespace between tokens (space, tab, CR, form feed, vertical tab). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

/** Characters after which a token needs the full look (digits, `/` for paths and URLs, `:` for MACs). */
const NEEDS_LOOK = new Uint8Array(128);
for (let c = 48; c <= 57; c++) NEEDS_LOOK[c] = 1;
NEEDS_LOOK[47] = 1;
NEEDS_LOOK[58] = 1;
NEEDS_LOOK[46] = 1; // `.`: host names without a digit (`mail.example.com`)
/** First letters of `true`, `false`, `null`, `root`, `admin` and of day and month names. */
const VALUE_INITIAL = new Uint8Array(128);
for (const ch of "tTfFnNrRaAMWSJDO") VALUE_INITIAL[ch.charCodeAt(0)] = 1;

/**
 * The signature of a message: its masked tokens joined by single spaces (masked tokens hold no
 * space). This is the miner's hot path, so most tokens — plain words — are copied after one scan
 * without the word-by-word look of `maskToken`.
 */
export function signature(message: string, rules: MaskRules = DEFAULT_RULES): string {
  let out = "";
  const n = message.length;
  let i = 0;
  let prevStart = -1; // the token before, which a request target needs (its method)
  let prevEnd = -1;
  while (i < n) {
    let c = message.charCodeAt(i);
    while (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      if (++i >= n) return out;
      c = message.charCodeAt(i);
    }
    const start = i;
    let look = 0;
    let wordBefore = false;
    while (i < n) {
      c = message.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) break;
      if (c < 128) {
        look |= NEEDS_LOOK[c] as number;
        // A word starting with t, f, n, r or a may be `true`, `false`, `null`, `root`, `admin`.
        if (!wordBefore) look |= VALUE_INITIAL[c] as number;
        wordBefore = ((CLASS[c] as number) & LETTER) !== 0;
      } else wordBefore = true;
      i++;
    }
    let token: string;
    if (look === 0) token = message.slice(start, i);
    else {
      // Every span starts at a token that needs the look (a capital of a day or month name, a
      // digit, a `/` or `:` of a request target): the cheap path never misses one.
      const value = maySpan(message, start, i, prevStart, prevEnd)
        ? spanValueEnd(message, start, i, n, prevStart, prevEnd)
        : -1;
      if (value < 0) token = maskToken(message, start, i, rules);
      else {
        const last = tokenEnd(message, value, n);
        token = maskSpan(message, start, value, last, rules);
        i = last;
      }
    }
    prevStart = start;
    prevEnd = i;
    out = out.length === 0 ? token : `${out} ${token}`;
  }
  return out;
}

/** A span's mask: the opening punctuation of its first token, `<*>`, what follows the value. */
function maskSpan(message: string, start: number, value: number, last: number, rules: MaskRules): string {
  const open = openingLength(message, start, tokenEnd(message, start, last));
  const head = open === 0 ? WILDCARD : message.slice(start, start + open) + WILDCARD;
  return value < last ? head + maskToken(message, value, last, rules) : head;
}

/**
 * The masked tokens of a message: its signature split at spaces (so the two never disagree).
 * A value written over several tokens (`spans.ts`) is one masked token.
 *
 * @example
 * maskMessage("Served block blk_-12 to /10.0.0.1") // ["Served", "block", "<*>", "to", "<*>"]
 * maskMessage("from 10.0.0.1 at Mon Jul 25 03:13:58 2005") // ["from", "<*>", "at", "<*>"]
 */
export function maskMessage(message: string, rules: MaskRules = DEFAULT_RULES): string[] {
  const signed = signature(message, rules);
  return signed.length === 0 ? [] : signed.split(" ");
}

/**
 * The original tokens of a message, one per masked token: split at whitespace, except that a
 * value written over several tokens (`spans.ts`) is one token, with its spaces.
 */
export function splitTokens(message: string): string[] {
  const tokens: string[] = [];
  const n = message.length;
  let prevStart = -1;
  let prevEnd = -1;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    let j = tokenEnd(message, i, n);
    const value = maySpan(message, i, j, prevStart, prevEnd)
      ? spanValueEnd(message, i, j, n, prevStart, prevEnd)
      : -1;
    if (value >= 0) j = tokenEnd(message, value, n);
    tokens.push(message.slice(i, j));
    prevStart = i;
    prevEnd = j;
    i = j;
  }
  return tokens;
}
