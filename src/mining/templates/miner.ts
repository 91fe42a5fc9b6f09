import { signature as signatureOf } from "./mask.ts";
import { type MinerState, type Template, WILDCARD } from "./model.ts";
import { foldDigits, numberAsParameter } from "./numbered-names.ts";
import { DEFAULT_MINER_OPTIONS, type MinerOptions } from "./options.ts";
import { type SkeletonKey, skeletonKey } from "./skeleton.ts";
import {
  compileToken,
  fitsWithOtherNumbers,
  generalise,
  type TokenPattern,
  tokenMatches,
} from "./token-pattern.ts";
import { valueForm } from "./value-forms.ts";
import { isDottedName, namesAUser } from "./variety-hints.ts";

/** Lines longer than this (in tokens) are not compared position by position for merging. */
const MAX_TOKENS_FOR_MERGING = 200;
/** The signature cache is cleared when it grows past this; memory stays bounded by templates. */
const MAX_CACHED_SIGNATURES = 200_000;

interface Entry {
  readonly id: number;
  tokens: string[];
  patterns: TokenPattern[];
  /** Positions holding `<*>` somewhere (a wildcard count, to prefer the most specific match). */
  wildcards: number;
  count: number;
  /** Set when this template was merged into another; lines cached here follow it. */
  mergedInto: Entry | undefined;
  /** The bucket it is in (see `bucketKey`). */
  bucket: string;
}

/** A skeleton's template (see `add`). */
interface Cached {
  entry: Entry;
  skeletonLength: number;
  /** The numbered names of the line it was cached for (see `SkeletonKey.names`). */
  names: number;
  /** Off once a line with other names kept the same template: names do not matter here. */
  checkNames: boolean;
}

/** Templates whose first token is a parameter sit in the bucket of their length and this key. */
const ANY_FIRST = "\u0002";

/**
 * Templates are looked for among those of the message's length and first token (or the key of
 * a first `key=value` token), and those whose first token is a parameter: so a new message is
 * compared with a handful of templates, not with every template of its length.
 */
function bucketKey(tokens: readonly string[]): string {
  // Digit-blind: `jk2_init()` and `jk7_init()` look for their template in one bucket.
  const first = foldDigits(tokens[0] ?? "");
  if (first.includes(WILDCARD)) return `${tokens.length}\u0001${ANY_FIRST}`;
  const at = keyEnd(first);
  return `${tokens.length}\u0001${at >= 1 ? first.slice(0, at + 1) : first}`;
}

/**
 * The online template miner: one message at a time, one pass, memory bounded by the number of
 * templates. A message is masked (see `mask.ts`), then looked up by its signature; a new
 * signature is matched against the templates of its length, else it founds a template. Templates
 * that differ in one position only, with enough different words there, are merged into one with a
 * `<*>` at that position; the surviving template keeps the oldest id and the others become its
 * aliases, so every id ever handed out stays valid.
 *
 * @example
 * const miner = new TemplateMiner();
 * miner.add("Served block blk_-12 to /10.0.0.1"); // 1
 * miner.add("Served block blk_77 to /10.0.0.2"); // 1
 * miner.template(1)?.tokens.join(" "); // "Served block <*> to <*>"
 */
export class TemplateMiner {
  private readonly entries = new Map<number, Entry>();
  private readonly aliases = new Map<number, number>();
  private readonly buckets = new Map<string, Entry[]>();
  private readonly cache = new Map<string, Entry>();
  /** Skeleton hash → template (see `skeleton.ts`): most lines end here, without masking. */
  private readonly fast = new Map<number, Cached>();
  private readonly key: SkeletonKey = { hash: 0, length: 0, names: 0 };
  /** Key: length, position and every other token; value: the templates that share them. */
  private readonly families = new Map<string, Entry[]>();
  /** The common value form of each template (see `value-forms.ts`) → the template. */
  private readonly forms = new Map<string, Entry>();
  private nextId = 1;
  private readonly options: MinerOptions;

  /** `options` are the choices made by measurement (see `options.ts`); the defaults suit most logs. */
  constructor(options: Partial<MinerOptions> = {}) {
    this.options = { ...DEFAULT_MINER_OPTIONS, ...options };
  }

  /** Continue from a persisted state: same templates, same ids, same aliases. */
  static fromState(state: MinerState, options: Partial<MinerOptions> = {}): TemplateMiner {
    const miner = new TemplateMiner(options);
    miner.nextId = state.nextId;
    for (const [from, to] of Object.entries(state.aliases)) miner.aliases.set(Number(from), to);
    const sorted = [...state.templates].sort((a, b) => a.id - b.id);
    for (const t of sorted) miner.insert(t.id, [...t.tokens], t.count);
    for (const t of sorted) {
      const entry = miner.entries.get(t.id);
      if (entry) miner.register(entry);
    }
    return miner;
  }

  /** Assign a message to a template (learning as it goes) and return the template's id. */
  add(message: string): number {
    const key = this.key;
    skeletonKey(message, key);
    let entry = this.fast.get(key.hash);
    if (entry === undefined || entry.skeletonLength !== key.length) {
      const found = this.learn(message);
      if (this.fast.size >= MAX_CACHED_SIGNATURES) this.fast.clear();
      entry = { entry: found, skeletonLength: key.length, names: key.names, checkNames: true };
      this.fast.set(key.hash, entry);
    } else if (entry.checkNames && entry.names !== key.names) {
      // The same skeleton with other numbered names (`eth7` where the line cached had `eth3`):
      // learn from it, so the template can write the number as a parameter. Once other names
      // change nothing, the skeleton alone decides.
      let before = entry.entry;
      while (before.mergedInto !== undefined) before = before.mergedInto;
      const tokens = before.tokens;
      let found = this.learn(message);
      while (found.mergedInto !== undefined) found = found.mergedInto;
      entry.checkNames = !(found === before && found.tokens === tokens);
      entry.entry = found;
      entry.names = key.names;
    }
    let target = entry.entry;
    while (target.mergedInto !== undefined) target = target.mergedInto;
    entry.entry = target;
    target.count++;
    return target.id;
  }

  /** The template of a message whose skeleton was not cached: mask it, look it up, learn. */
  private learn(message: string): Entry {
    const signature = signatureOf(message, this.options);
    let entry = this.cache.get(signature);
    if (entry === undefined) {
      const tokens = signature.length === 0 ? [] : signature.split(" ");
      entry = this.match(tokens) ?? this.sibling(tokens) ?? this.absorb(tokens) ?? this.create(tokens);
      entry = this.adoptNames(entry, tokens);
      if (this.cache.size >= MAX_CACHED_SIGNATURES) this.cache.clear();
      this.cache.set(signature, entry);
    }
    return entry;
  }

  /** The template a message fits now, without learning from it (`undefined` when none does). */
  peek(message: string): Template | undefined {
    const signature = signatureOf(message, this.options);
    let entry = this.cache.get(signature) ?? this.match(signature.length === 0 ? [] : signature.split(" "));
    while (entry?.mergedInto !== undefined) entry = entry.mergedInto;
    return entry && snapshot(entry);
  }

  /** The id a template has now: ids of merged templates lead to the one they were merged into. */
  resolve(id: number): number {
    let current = id;
    for (let next = this.aliases.get(current); next !== undefined; next = this.aliases.get(current)) {
      current = next;
    }
    return current;
  }

  template(id: number): Template | undefined {
    const entry = this.entries.get(this.resolve(id));
    return entry && snapshot(entry);
  }

  /** How many templates there are now. */
  get size(): number {
    return this.entries.size;
  }

  /** Every live template, by id. */
  templates(): Template[] {
    return [...this.entries.values()].sort((a, b) => a.id - b.id).map(snapshot);
  }

  /** The state to persist (`TemplateMiner.fromState` continues from it). */
  state(logFormat?: string): MinerState {
    const aliases: Record<string, number> = {};
    for (const id of [...this.aliases.keys()].sort((a, b) => a - b)) aliases[String(id)] = this.resolve(id);
    return {
      version: 1,
      nextId: this.nextId,
      templates: this.templates(),
      aliases,
      ...(logFormat === undefined ? {} : { logFormat }),
    };
  }

  private match(tokens: readonly string[]): Entry | undefined {
    let best: Entry | undefined;
    for (const bucket of this.candidates(tokens)) {
      for (const entry of bucket) {
        if (best !== undefined && entry.wildcards >= best.wildcards) continue;
        if (fits(entry.patterns, tokens)) best = entry;
      }
    }
    return best;
  }

  /** The buckets where a template for `tokens` can be. */
  private candidates(tokens: readonly string[]): Entry[][] {
    const own = bucketKey(tokens);
    const any = `${tokens.length}\u0001${ANY_FIRST}`;
    const out: Entry[][] = [];
    const a = this.buckets.get(own);
    if (a !== undefined) out.push(a);
    const b = own === any ? undefined : this.buckets.get(any);
    if (b !== undefined) out.push(b);
    return out;
  }

  /**
   * A template that took in a message with another numbered name where it has one (`eth7` where
   * it says `eth3`; see `numbered-names.ts`) writes that number as a parameter from then on.
   */
  private adoptNames(entry: Entry, tokens: readonly string[]): Entry {
    let target = entry;
    while (target.mergedInto !== undefined) target = target.mergedInto;
    if (target.tokens.length !== tokens.length) return target;
    let next: string[] | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const pattern = target.patterns[i];
      if (pattern === undefined || !fitsWithOtherNumbers(pattern, tokens[i] ?? "")) continue;
      next ??= [...target.tokens];
      next[i] = numberAsParameter(target.tokens[i] ?? "");
    }
    if (next === undefined) return target;
    this.setTokens(target, next);
    this.register(target);
    while (target.mergedInto !== undefined) target = target.mergedInto;
    return target;
  }

  /**
   * A template that writes some value of `tokens` differently (`<*> bytes (<*> KB) sent` for
   * `<*> bytes sent`; see `value-forms.ts`): both are one event, written from then on in the
   * common form, in which each value is one `<*>`.
   */
  private sibling(tokens: readonly string[]): Entry | undefined {
    const form = valueForm(tokens);
    const key = form.join(" ");
    let entry = this.forms.get(key);
    while (entry?.mergedInto !== undefined) entry = entry.mergedInto;
    if (entry === undefined || form.length === 0) return undefined;
    if (entry.tokens.join(" ") !== key) {
      this.setTokens(entry, form);
      // Its common form may be another template's too: fold that one in.
      for (const bucket of this.candidates(form)) {
        for (const other of [...bucket]) {
          if (other !== entry && other.mergedInto === undefined && other.tokens.join(" ") === key) {
            this.fold(other, entry);
          }
        }
      }
      this.register(entry);
    }
    while (entry.mergedInto !== undefined) entry = entry.mergedInto;
    return entry;
  }

  /**
   * A template that differs from `tokens` only where one of them already has a parameter, or in
   * the value of the same `key=`/`key:` — generalised there to take the message in.
   */
  private absorb(tokens: readonly string[]): Entry | undefined {
    if (tokens.length < 2) return undefined;
    for (const entry of this.candidates(tokens).flat()) {
      const differing: number[] = [];
      let compatible = true;
      for (let i = 0; i < tokens.length && compatible; i++) {
        const token = tokens[i] ?? "";
        const pattern = entry.patterns[i];
        if (pattern === undefined || tokenMatches(pattern, token)) continue;
        compatible = sameParameter(entry.tokens[i] ?? "", token);
        differing.push(i);
      }
      if (!compatible || !hasAnchor(entry.tokens, differing)) continue;
      const next = [...entry.tokens];
      for (const i of differing) next[i] = generalise([entry.tokens[i] ?? "", tokens[i] ?? ""]);
      this.setTokens(entry, next);
      this.register(entry);
      return entry;
    }
    return undefined;
  }

  private create(tokens: string[]): Entry {
    const entry = this.insert(this.nextId++, tokens, 0);
    this.register(entry);
    return entry;
  }

  private insert(id: number, tokens: string[], count: number): Entry {
    const patterns = tokens.map(compileToken);
    const entry: Entry = {
      id,
      tokens,
      patterns,
      wildcards: patterns.filter((p) => p.kind !== "literal").length,
      count,
      mergedInto: undefined,
      bucket: bucketKey(tokens),
    };
    this.entries.set(id, entry);
    this.place(entry);
    return entry;
  }

  private place(entry: Entry): void {
    let bucket = this.buckets.get(entry.bucket);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(entry.bucket, bucket);
    }
    bucket.push(entry);
  }

  private unplace(entry: Entry): void {
    const bucket = this.buckets.get(entry.bucket);
    const at = bucket?.indexOf(entry) ?? -1;
    if (bucket !== undefined && at >= 0) bucket.splice(at, 1);
  }

  /** Change a template's tokens, moving it to its new bucket when that changed. */
  private setTokens(entry: Entry, tokens: string[]): void {
    entry.tokens = tokens;
    entry.patterns = tokens.map(compileToken);
    entry.wildcards = entry.patterns.filter((x) => x.kind !== "literal").length;
    const key = bucketKey(tokens);
    if (key !== entry.bucket) {
      this.unplace(entry);
      entry.bucket = key;
      this.place(entry);
    }
  }

  /** Merge `from` into `into`: its lines and its id now belong to `into`. */
  private fold(from: Entry, into: Entry): void {
    from.mergedInto = into;
    into.count += from.count;
    this.entries.delete(from.id);
    this.aliases.set(from.id, into.id);
    this.unplace(from);
  }

  /**
   * Enter a template into its families (one per position) and merge a family whose position has
   * become a parameter: it holds a `<*>` there, or enough different words.
   */
  private register(entry: Entry): void {
    const form = valueForm(entry.tokens).join(" ");
    if (!this.forms.has(form)) this.forms.set(form, entry);
    const n = entry.tokens.length;
    if (n < 2 || n > MAX_TOKENS_FOR_MERGING) return;
    for (let p = 0; p < n; p++) {
      if (entry.mergedInto !== undefined) return;
      const key = familyKey(entry.tokens, p);
      let family = this.families.get(key);
      if (family === undefined) {
        family = [];
        this.families.set(key, family);
      }
      // A member whose tokens changed since it joined (generalised, or given its common form)
      // belongs to other families now.
      const live = family.filter(
        (e) => e.mergedInto === undefined && e !== entry && familyKey(e.tokens, p) === key,
      );
      live.push(entry);
      this.families.set(key, live);
      const hasWildcard =
        live.some((e) => e.patterns[p]?.kind === "any") ||
        live.filter((e) => isNumberedParameter(e.patterns[p])).length >= 2;
      // The first word of a message is what happens (`boot (command 12)`, `halt (command 3)`):
      // by default never a parameter by variety alone, only when some message has one there —
      // unless every one is a dotted name (`com.apple.cache.daily:`), which names who speaks.
      const enough =
        hasWildcard ||
        ((p > 0 || this.options.firstWordByVariety || live.every((e) => isDottedName(e.tokens[0] ?? ""))) &&
          live.length >= (p > 0 && namesAUser(entry.tokens[p - 1]) ? 2 : this.options.distinctValues));
      if (live.length >= 2 && enough && hasAnchor(entry.tokens, p)) {
        this.mergeAt(live, p);
      }
    }
  }

  /** Merge templates equal except at position `p` into the oldest, with `p` generalised. */
  private mergeAt(members: Entry[], p: number): void {
    const survivor = members.reduce((a, b) => (a.id <= b.id ? a : b));
    const values = members.map((e) => e.tokens[p] ?? WILDCARD);
    const token = generalise(values);
    for (const e of members) if (e !== survivor) this.fold(e, survivor);
    const next = [...survivor.tokens];
    next[p] = token;
    this.setTokens(survivor, next);
    // Its other families changed key; enter it again (which may merge further).
    this.register(survivor);
  }
}

/**
 * Whether a template keeps a word of its own outside the positions `skip`: without one, merging
 * there would join messages that share nothing but their length (`onStandStepChanged <*>` and
 * `isScreenOn <*>`).
 */
function hasAnchor(tokens: readonly string[], skip: number | readonly number[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (typeof skip === "number" ? i === skip : skip.includes(i)) continue;
    const t = tokens[i] ?? "";
    if (t !== WILDCARD && /[A-Za-z]{2}/.test(t.replaceAll(WILDCARD, " "))) return true;
  }
  return false;
}

/**
 * Whether two different tokens at one position are values of one parameter: one of them is a
 * parameter already (`<*>`, or `(<*>)` for `()`), or both are the same key with different values
 * (`name=android,` and `name=com.android.phone,`).
 */
function sameParameter(a: string, b: string): boolean {
  if (a === WILDCARD || b === WILDCARD) return true;
  // An empty value where the other has one: `()` and `(<*>)`, `user=` and `user=<*>`.
  if (emptyValueOf(b, a) || emptyValueOf(a, b)) return true;
  // The same key: equal up to the first `=` or `:`, with a letter in it (cheap checks first: this
  // runs for every template of the message's length when a message is new).
  const at = keyEnd(a);
  if (at < 1 || at !== keyEnd(b) || a.charCodeAt(at) !== b.charCodeAt(at) || !a.startsWith(b.slice(0, at))) {
    return false;
  }
  // …and the values share nothing but it: `action:android.intent.action.SCREEN_ON` and
  // `…TIME_TICK` are two events named by their value, `name=android` and `name=com.example` one.
  const shape = generalise([a, b]);
  const wildcard = shape.indexOf(WILDCARD);
  const key = shape.charCodeAt(wildcard - 1);
  return wildcard >= 2 && (key === 61 || key === 58) && /[A-Za-z]/.test(shape.slice(0, wildcard - 1));
}

/** Where the first `=` or `:` of a token is, or -1. */
function keyEnd(token: string): number {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 61 || c === 58) return i;
  }
  return -1;
}

/** Whether `literal` is `pattern` with every parameter empty. */
function emptyValueOf(pattern: string, literal: string): boolean {
  return (
    !literal.includes(WILDCARD) && pattern.includes(WILDCARD) && pattern.replaceAll(WILDCARD, "") === literal
  );
}

function fits(patterns: readonly TokenPattern[], tokens: readonly string[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const pattern = patterns[i];
    if (pattern === undefined || !tokenMatches(pattern, tokens[i] ?? "")) return false;
  }
  return true;
}

/**
 * Whether a template token is a numbered name whose number became a parameter
 * (`[Thunderbird_A<*>]`). Two such names in one family are values of one parameter (`A<*>`,
 * `B<*>`); one beside plain words is one event among others (`SOCKS<*>` beside `HTTPS`).
 */
function isNumberedParameter(pattern: TokenPattern | undefined): boolean {
  return pattern?.kind === "glob" && NUMBERED.test(pattern.text);
}

const NUMBERED = /[A-Za-z]<\*>/;

function familyKey(tokens: readonly string[], p: number): string {
  let key = `${tokens.length}\u0001${p}`;
  // Digit-blind (see `numbered-names.ts`): `… port <*> ssh2` and `… port <*> ssh0` are one family.
  for (let i = 0; i < tokens.length; i++) key += i === p ? "\u0001" : `\u0001${foldDigits(tokens[i] ?? "")}`;
  return key;
}

function snapshot(entry: Entry): Template {
  return { id: entry.id, tokens: [...entry.tokens], count: entry.count };
}
