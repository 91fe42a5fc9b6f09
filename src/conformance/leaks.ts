/**
 * Signs that a response body exposes a service's internals: stack frames, tracebacks, file
 * paths, SQL, driver errors, exception names and frameworks' default error pages. These are
 * patterns over other people's text (a service we did not write), so regexes are the tool.
 */
interface Sign {
  readonly pattern: RegExp;
  readonly what: string;
  /**
   * Shown even in a success body. Weaker signs (a path, SQL, an exception name) are judged in
   * error bodies only, where they cannot be the data the service was asked for.
   */
  readonly anywhere: boolean;
}

const SOURCE = "(?:m?js|cjs|ts|py|java|rb|go|php|cs)";

const SIGNS: readonly Sign[] = [
  // Node/V8: `at fn (/app/x.js:1:2)`, `at /app/x.js:1:2`, `at async fn (file:///app/x.mjs:1:2)`.
  {
    pattern: new RegExp(
      String.raw`\bat (?:async )?(?:[\w$.<>\[\] ]+ \()?(?:file:\/\/)?[^\s()'"]+\.${SOURCE}:\d+:\d+\)?`,
    ),
    what: "a stack frame",
    anywhere: true,
  },
  { pattern: /\bat [\w$.<>]+ \((?:node:)?internal\/[^)]+\)/, what: "a stack frame", anywhere: true },
  { pattern: /Traceback \(most recent call last\)/, what: "a Python traceback", anywhere: true },
  { pattern: /File "[^"]+\.py", line \d+/, what: "a Python traceback", anywhere: true },
  { pattern: /\bat [\w.$]+\([\w]+\.java:\d+\)/, what: "a Java stack frame", anywhere: true },
  { pattern: /goroutine \d+ \[running\]/, what: "a Go panic", anywhere: true },
  { pattern: /\.rb:\d+:in [`']/, what: "a Ruby backtrace", anywhere: true },
  { pattern: /Stack trace:\s*(?:<br \/>\s*)?#0 /, what: "a PHP stack trace", anywhere: true },
  // Frameworks' default (debug) error pages.
  {
    pattern: /<title>Error<\/title>[\s\S]{0,200}<pre>/,
    what: "Express's default error page",
    anywhere: true,
  },
  {
    pattern: /<pre>Cannot (?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [^<]*<\/pre>/,
    what: "Express's default 404 page",
    anywhere: true,
  },
  {
    pattern: /Werkzeug Debugger|The debugger caught an exception/,
    what: "the Werkzeug debugger",
    anywhere: true,
  },
  { pattern: /you have <code>DEBUG = True<\/code>/, what: "Django's debug page", anywhere: true },
  { pattern: /Action Controller: Exception caught/, what: "Rails' debug page", anywhere: true },
  { pattern: /Whitelabel Error Page/, what: "Spring's default error page", anywhere: true },
  { pattern: /Server Error in '[^']*' Application/, what: "ASP.NET's default error page", anywhere: true },
  {
    pattern: /Whoops, looks like something went wrong|Symfony\\Component\\/,
    what: "a PHP framework's debug page",
    anywhere: true,
  },
  { pattern: /"code"\s*:\s*"FST_ERR_[A-Z_]+"/, what: "a Fastify internal error code", anywhere: false },
  // Weaker signs, judged in error bodies.
  {
    pattern: new RegExp(
      String.raw`(?:^|[\s"'(=:>])(?:[A-Za-z]:\\\\|\/)(?:[\w.@+-]+[\\/]+){1,}[\w.@+-]+\.${SOURCE}\b`,
    ),
    what: "a file path",
    anywhere: false,
  },
  {
    pattern:
      /(?:\/home|\/Users|\/root|\/srv|\/opt|\/var\/(?:www|lib)|\/usr\/(?:src|lib|local))\/[\w.@+-]+\/[^\s"'<>]+/,
    what: "a file path",
    anywhere: false,
  },
  { pattern: /node_modules\//, what: "a node_modules path", anywhere: false },
  // Upper case only: prose such as "update the entry; set If-Match" is not a leak.
  {
    pattern: /\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^"]{0,80}\b(?:FROM|INTO|SET|WHERE)\b/,
    what: "SQL",
    anywhere: false,
  },
  {
    pattern: /\bSQLITE_[A-Z_]+\b|syntax error at or near|\bORA-\d{5}\b|\bPG::|duplicate key value violates/i,
    what: "a database error",
    anywhere: false,
  },
  {
    pattern:
      /\b(?:TypeError|ReferenceError|RangeError|NullPointerException|SyntaxError: Unexpected|Unexpected (?:end of JSON input|token .{1,12} in JSON)|KeyError|AttributeError|ValueError|undefined is not)\b/,
    what: "an exception name",
    anywhere: false,
  },
];

/** What internal detail this body shows (with the text that shows it), or undefined. */
export function leakIn(text: string, options: { errorBody?: boolean } = {}): string | undefined {
  const errorBody = options.errorBody ?? true;
  for (const { pattern, what, anywhere } of SIGNS) {
    if (!anywhere && !errorBody) continue;
    const m = pattern.exec(text);
    if (m) return `${what} ("${m[0].replace(/\s+/g, " ").trim().slice(0, 60)}")`;
  }
  return undefined;
}
