import { ProblemError } from "../api/index.ts";
import { OpsdojoError, plural } from "../core/index.ts";
import { type ProblemFieldError, RemoteProblemError } from "./errors.ts";

/**
 * Which flag fills which part of a request body: `{ "/name": "--name", "/versions": "--version" }`.
 * A pointer below an array (`/versions/1/version`) names the flag and which one (`--version #2`).
 */
export type FlagMap = Readonly<Record<string, string>>;

/** Field problems of a request a command built from its flags, said in terms of those flags. */
export class FlagValueError extends OpsdojoError {
  constructor(lines: readonly string[]) {
    super(
      "invalid_flags",
      lines.length === 1
        ? (lines[0] as string)
        : `${lines.length} options are not valid:\n  ${lines.join("\n  ")}`,
      { kind: "invalid", details: { problems: [...lines] } },
    );
  }
}

// What the API's schema says in regexes and formats, in words a person acts on.
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [
    /pattern "\^\[a-z\]\[a-z0-9\]\*\(-\[a-z0-9\]\+\)\*\$"/,
    "use lowercase letters, digits and single hyphens, starting with a letter (e.g. payments-api)",
  ],
  [/pattern "\^\\+d\+\\+\.\\+d\+\\+\.\\+d\+\$"/, "use a version of three numbers, like 1.2.0"],
  [/format "uri"|format "url"/, "use an absolute URL, like http://10.0.0.5:8080"],
  [/must NOT have more than (\d+) characters?/, "use at most #1"],
  [/must NOT have fewer than 1 characters?/, "must not be empty"],
  [/must NOT have fewer than (\d+) characters?/, "use at least #1"],
  [/must match pattern/, "is not in the form expected (see --help)"],
];

/** `must match pattern "^[a-z]…$"` → `use lowercase letters, …`; other details as they are. */
export function plainDetail(detail: string): string {
  for (const [pattern, words] of PATTERNS) {
    const m = pattern.exec(detail);
    if (m) return words.replace(/#(\d)/g, (_, i: string) => plural(Number(m[Number(i)]), "character"));
  }
  return detail;
}

function flagOf(pointer: string, flags: FlagMap): string | undefined {
  const parts = pointer.split("/").slice(1);
  for (let n = parts.length; n > 0; n--) {
    const flag = flags[`/${parts.slice(0, n).join("/")}`];
    if (flag === undefined) continue;
    const index = parts[n];
    return index !== undefined && /^\d+$/.test(index) ? `${flag} #${Number(index) + 1}` : flag;
  }
  return undefined;
}

/**
 * The error to show for `error`: when it is the API refusing a body the command built from
 * flags, and every problem is in a part a flag fills, the same problems said per flag;
 * otherwise `error` itself.
 */
export function asFlagError(error: unknown, flags: FlagMap): unknown {
  const fields: readonly ProblemFieldError[] | undefined =
    error instanceof ProblemError
      ? error.errors
      : error instanceof RemoteProblemError
        ? error.problem.errors
        : undefined;
  if (fields === undefined || fields.length === 0) return error;
  const lines: string[] = [];
  for (const f of fields) {
    const flag = f.in === undefined || f.in === "body" ? flagOf(f.pointer, flags) : undefined;
    if (flag === undefined) return error;
    lines.push(`${flag}: ${plainDetail(f.detail)}`);
  }
  return new FlagValueError(lines);
}
