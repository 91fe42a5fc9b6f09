import { KEBAB_SEGMENT, SEMVER, SNAKE } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";
import { documentProblems } from "../document-check.ts";
import { isObject } from "../http.ts";

export const cb01: Rule = {
  id: "CB-01",
  level: "MUST",
  title: "An OpenAPI 3.1 document at /openapi.json with a MAJOR.MINOR.PATCH info.version, valid as OpenAPI",
  async check(ctx: Context, rec: Recorder) {
    const url = ctx.profile.spec_url ?? "/openapi.json";
    const e = await rec.send({ path: url, note: "the OpenAPI document" });
    if (e.status >= 300 && e.status < 400) {
      rec.fail(
        `GET ${url} answered ${e.status} (a redirect to ${e.headers.location ?? "nowhere"}, not followed); serve the document there`,
      );
    }
    if (e.status !== 200) rec.fail(`GET ${url} answered ${e.status || e.error}, not 200`);
    if (!isObject(e.json))
      rec.fail(`GET ${url} is not a JSON object (Content-Type ${e.headers["content-type"] ?? "missing"})`);
    const version = String(e.json.openapi ?? "");
    if (!version.startsWith("3.1")) rec.problem(`"openapi" is "${version}", not 3.1.x`, e, "/openapi");
    const info = isObject(e.json.info) ? e.json.info : {};
    if (typeof info.version !== "string" || !SEMVER.test(info.version))
      rec.problem(
        `info.version is ${JSON.stringify(info.version)}, not MAJOR.MINOR.PATCH`,
        e,
        "/info/version",
      );
    if (!isObject(e.json.paths) || Object.keys(e.json.paths).length === 0)
      rec.problem("the document has no paths", e, "/paths");
    // The static pass: what an OpenAPI validator would refuse, each cited by its JSON pointer.
    const found = documentProblems(e.json);
    for (const p of found) rec.problem(`#${p.pointer}: ${p.message}`, e, p.pointer);
    if (rec.problems.length > 0) return "";
    const paths = isObject(e.json.paths) ? Object.keys(e.json.paths).length : 0;
    return `OpenAPI ${version}, info.version ${info.version}, ${paths} paths, valid as OpenAPI (that it is generated, not hand-edited, cannot be seen over HTTP)`;
  },
};

/** Every property name in a schema, with where it was found. */
function propertyNames(schema: unknown, where: string, out: Array<[string, string]>, depth = 0): void {
  if (!isObject(schema) || depth > 12) return;
  if (isObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      out.push([name, `${where}.${name}`]);
      propertyNames(sub, `${where}.${name}`, out, depth + 1);
    }
  }
  for (const key of ["items", "additionalProperties"])
    propertyNames(schema[key], `${where}[]`, out, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) propertyNames(s, where, out, depth + 1);
  }
}

export const cb11: Rule = {
  id: "CB-11",
  level: "SHOULD",
  title: "snake_case properties and query names, plural kebab-case paths, no trailing slash",
  async check(ctx: Context, rec: Recorder) {
    if (!ctx.api) rec.skip(`no OpenAPI document to read names from (${ctx.apiProblem})`);
    const bad: string[] = [];
    for (const op of ctx.api.operations) {
      const label = `${op.method} ${op.path}`;
      for (const p of op.parameters)
        if (p.in === "query" && !SNAKE.test(p.name)) bad.push(`query parameter "${p.name}" of ${label}`);
      const names: Array<[string, string]> = [];
      propertyNames(op.requestBody, `${label} body`, names);
      for (const [status, r] of Object.entries(op.responses))
        propertyNames(r.schema, `${label} ${status}`, names);
      for (const [name, where] of names) if (!SNAKE.test(name)) bad.push(`property "${name}" (${where})`);
      if (op.path.length > 1 && op.path.endsWith("/")) bad.push(`path ${op.path} ends with a slash`);
      for (const segment of op.path.split("/").filter(Boolean)) {
        if (segment.startsWith("{") || segment === "openapi.json") continue;
        if (!KEBAB_SEGMENT.test(segment))
          bad.push(`path segment "${segment}" of ${op.path} is not kebab-case`);
      }
    }
    // Each name that breaks the convention is a problem of its own (the report shows the first 20).
    const spec = ctx.probe.exchanges.find((e) => e.note === "read the OpenAPI document");
    for (const name of new Set(bad)) rec.problem(`${name} breaks the naming convention`, spec);
    if (ctx.collection) {
      const e = await rec.send({
        path: `${ctx.collection.path}/`,
        note: "the collection with a trailing slash",
      });
      if (e.status >= 200 && e.status < 300)
        rec.problem(
          `GET ${ctx.collection.path}/ (trailing slash) answered ${e.status}; it must not be served`,
          e,
        );
    }
    if (rec.problems.length > 0) return "";
    return `every query parameter and property name in ${ctx.api.operations.length} operations is snake_case; paths are kebab-case without trailing slashes`;
  },
};
