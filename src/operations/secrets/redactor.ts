import type { Operation, ParamValue } from "../model/index.ts";
import { isSecretMarker, secretMarker, secretParams } from "./model.ts";

/** Longest failure reason kept (and so shown to anyone who may read runs). */
export const MAX_REASON_CHARS = 500;

/** Fields whose text comes from outside (a command's stderr, a server's answer): reasons. */
const REASON_FIELDS = new Set(["reason", "error", "observed", "detail", "message"]);

/**
 * Variables whose values are everyday words and paths: replacing `/root` or `en_US.UTF-8`
 * wherever it occurs would hide useful text and protect nothing. Their `NAME=value` form is
 * still replaced. The AWS region is one of them: zones and ARNs in every AWS failure name it.
 */
const PLAIN_VARIABLES =
  /^(PATH|HOME|PWD|OLDPWD|SHELL|USER|LOGNAME|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|SHLVL|_|HOSTNAME|TMPDIR|COLORTERM|INIT_CWD|NODE|EDITOR|PAGER|AWS_REGION|AWS_DEFAULT_REGION)$/;
/** Shorter values of other variables (`1`, `true`, `info`) are too common to be worth hiding. */
const MIN_HIDDEN_VALUE = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternation = (items: readonly string[]) =>
  items.length === 0 ? undefined : new RegExp(items.map(escapeRegExp).join("|"), "g");

/**
 * Keeps a run's secrets and the server's environment out of everything the journal writes.
 * Secret values become `«secret:<name>»` anywhere in any text (so a header `Bearer <token>` is
 * stored as `Bearer «secret:token»`), and `NAME=value` pairs of this process's environment become
 * `NAME=«env»`. Reasons (a failing command's last line, a check's observation) are also stripped
 * of other variables' values and cut to MAX_REASON_CHARS. `restore` puts the secrets back into
 * what is read again (a resumed run's earlier outputs, an undo's recorded input).
 *
 * @example
 * const r = Redactor.forRun(op, { token: "s3cr3t" });
 * r.text("Authorization: Bearer s3cr3t"); // "Authorization: Bearer «secret:token»"
 */
export class Redactor {
  readonly #byValue = new Map<string, string>();
  readonly #byName = new Map<string, string>();
  readonly #secrets: RegExp | undefined;
  readonly #pairs: RegExp | undefined;
  readonly #pairNames = new Map<string, string>();
  readonly #names: RegExp | undefined;
  readonly #values: RegExp | undefined;
  readonly #valueNames = new Map<string, string>();

  constructor(secrets: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env) {
    for (const [name, value] of Object.entries(secrets)) {
      if (value === "" || isSecretMarker(value)) continue;
      this.#byValue.set(value, name);
      this.#byName.set(name, value);
    }
    // Longest first, so a secret that contains another is replaced whole.
    const byLength = (a: string, b: string) => b.length - a.length;
    this.#secrets = alternation([...this.#byValue.keys()].sort(byLength));
    const pairs: string[] = [];
    const names: string[] = [];
    for (const [name, value] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || value === undefined) continue;
      names.push(name);
      if (value === "") continue;
      pairs.push(`${name}=${value}`);
      this.#pairNames.set(`${name}=${value}`, name);
      if (!PLAIN_VARIABLES.test(name) && value.length >= MIN_HIDDEN_VALUE && !this.#valueNames.has(value))
        this.#valueNames.set(value, name);
    }
    this.#pairs = alternation(pairs.sort(byLength));
    this.#names =
      names.length === 0
        ? undefined
        : new RegExp(`(?<![A-Za-z0-9_])(${names.sort(byLength).map(escapeRegExp).join("|")})=[^\\s"']*`, "g");
    this.#values = alternation([...this.#valueNames.keys()].sort(byLength));
  }

  /** The redactor of one run: the values of the params the operation declares secret. */
  static forRun(
    operation: Pick<Operation, "params">,
    params: Readonly<Record<string, ParamValue>>,
    env: NodeJS.ProcessEnv = process.env,
  ): Redactor {
    const secrets: Record<string, string> = {};
    for (const [name] of secretParams(operation)) {
      const value = params[name];
      if (typeof value === "string") secrets[name] = value;
    }
    return new Redactor(secrets, env);
  }

  /** True when the run has secrets to keep out. */
  get hasSecrets(): boolean {
    return this.#byName.size > 0;
  }

  /** Any text: secrets and this process's `NAME=value` pairs replaced. */
  text(text: string): string {
    let out = text;
    if (this.#secrets) out = out.replace(this.#secrets, (v) => secretMarker(this.#byValue.get(v) ?? "?"));
    if (this.#pairs && out.includes("="))
      out = out.replace(this.#pairs, (pair) => `${this.#pairNames.get(pair) ?? "?"}=«env»`);
    return out;
  }

  /**
   * A reason shown to anyone who can read runs: as `text`, and also every `NAME=…` of a
   * variable this process has and other variables' values stripped, then cut to a bounded length.
   */
  reason(text: string): string {
    let out = this.text(text);
    if (this.#names) out = out.replace(this.#names, (_m, name: string) => `${name}=«env»`);
    if (this.#values) out = out.replace(this.#values, (v) => `«env:${this.#valueNames.get(v) ?? "?"}»`);
    if (out.length <= MAX_REASON_CHARS) return out;
    return `${out.slice(0, MAX_REASON_CHARS)}… (${out.length - MAX_REASON_CHARS} more characters)`;
  }

  /** A JSON-like value, deeply: reasons (by field name) as `reason`, every other string as `text`. */
  value<T>(value: T): T {
    return this.#walk(value, false) as T;
  }

  /** Markers of this run's secrets put back (in what the journal reads again). */
  restore<T>(value: T): T {
    if (this.#byName.size === 0) return value;
    return mapStrings(value, (s) =>
      s.includes("«secret:")
        ? s.replace(/«secret:([A-Za-z_][A-Za-z0-9_]*)»/g, (m, name: string) => this.#byName.get(name) ?? m)
        : s,
    ) as T;
  }

  #walk(value: unknown, reason: boolean): unknown {
    if (typeof value === "string") return reason ? this.reason(value) : this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.#walk(v, reason));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [this.text(k), this.#walk(v, reason || REASON_FIELDS.has(k))]),
      );
    }
    return value;
  }
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}
