import { problemDefect, SEMVER } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";

/**
 * A cheap GET that should succeed: the collection, else /health, else the OpenAPI document when
 * the service itself serves it. A document on another host is never probed as if it were the
 * service (its answers would judge the wrong server).
 */
export function probePath(ctx: Context): string {
  const spec = ctx.profile.spec_url;
  const specHere = spec !== undefined && ctx.probe.isTarget(spec) ? spec : undefined;
  return (
    ctx.collection?.path ??
    ctx.profile.health_path ??
    specHere ??
    (spec === undefined ? "/openapi.json" : "/")
  );
}

function served(
  ctx: Context,
  rec: Recorder,
  e: { headers: Record<string, string> },
): [number, number, number] {
  const v = e.headers[ctx.names.apiVersion];
  if (!v || !SEMVER.test(v))
    rec.fail(
      `the response carries ${ctx.names.apiVersion}: ${JSON.stringify(v ?? null)}, not a semantic version`,
    );
  return v.split(".").map(Number) as [number, number, number];
}

export const cb03: Rule = {
  id: "CB-03",
  level: "MUST",
  title: "Accept-Version: MAJOR or MAJOR.MINOR selects a matching version; Vary: Accept-Version",
  async check(ctx: Context, rec: Recorder) {
    const path = probePath(ctx);
    const plain = await rec.send({ path });
    if (plain.status !== 200) {
      // Without a collection to ask, a failing probe path says nothing about versioning.
      if (!ctx.collection)
        rec.skip(
          `no operation answered 200 to compare versions with (GET ${path}: ${plain.status || plain.error})`,
        );
      rec.fail(`GET ${path} answered ${plain.status}; cannot compare versions`);
    }
    const [major, minor] = served(ctx, rec, plain);
    const byMajor = await rec.send({
      path,
      headers: { [ctx.names.acceptVersion]: String(major) },
      note: "ask for the major version",
    });
    if (byMajor.status !== 200)
      rec.fail(`${ctx.names.acceptVersion}: ${major} answered ${byMajor.status}, not 200`, byMajor);
    if (served(ctx, rec, byMajor)[0] !== major)
      rec.fail(`${ctx.names.acceptVersion}: ${major} was served another major`, byMajor);
    const byMinor = await rec.send({
      path,
      headers: { [ctx.names.acceptVersion]: `${major}.${minor}` },
      note: "ask for major.minor",
    });
    if (byMinor.status !== 200)
      rec.fail(`${ctx.names.acceptVersion}: ${major}.${minor} answered ${byMinor.status}, not 200`, byMinor);
    const [m2, n2] = served(ctx, rec, byMinor);
    if (m2 !== major || n2 < minor)
      rec.fail(`${ctx.names.acceptVersion}: ${major}.${minor} was served ${m2}.${n2}`, byMinor);
    const vary = (byMinor.headers.vary ?? "")
      .toLowerCase()
      .split(",")
      .map((s) => s.trim());
    if (!vary.includes(ctx.names.acceptVersion.toLowerCase()) && !vary.includes("*")) {
      rec.fail(`Vary is "${byMinor.headers.vary ?? ""}"; it must name ${ctx.names.acceptVersion}`, byMinor);
    }
    return `${ctx.names.acceptVersion} ${major} and ${major}.${minor} served ${m2}.${n2}.x with Vary: ${byMinor.headers.vary}`;
  },
};

export const cb04: Rule = {
  id: "CB-04",
  level: "MUST",
  title: "No Accept-Version → the latest version; an unsupported one → 400 unsupported-api-version",
  async check(ctx: Context, rec: Recorder) {
    const path = probePath(ctx);
    const plain = await rec.send({ path });
    if (plain.status !== 200) {
      if (!ctx.collection)
        rec.skip(
          `no operation answered 200 to see the default version on (GET ${path}: ${plain.status || plain.error})`,
        );
      rec.fail(
        `GET ${path} without ${ctx.names.acceptVersion} answered ${plain.status}; it must serve the latest version`,
        plain,
      );
    }
    const [major] = served(ctx, rec, plain);
    const latest = ctx.api?.version;
    if (latest && plain.headers[ctx.names.apiVersion] !== latest) {
      rec.fail(
        `without ${ctx.names.acceptVersion} the server served ${plain.headers[ctx.names.apiVersion]}, but its OpenAPI document is ${latest}`,
        plain,
      );
    }
    const future = await rec.send({
      path,
      headers: { [ctx.names.acceptVersion]: String(major + 1) },
      note: "ask for a version that does not exist",
    });
    if (future.status !== 400)
      rec.fail(`${ctx.names.acceptVersion}: ${major + 1} answered ${future.status}, not 400`, future);
    const defect = problemDefect(future);
    if (defect) rec.fail(`the 400 for an unsupported version is not a problem: ${defect}`, future);
    const type = String((future.json as { type?: unknown }).type);
    if (!type.endsWith("unsupported-api-version"))
      rec.fail(`the problem type is ${type}; it must end in unsupported-api-version`, future);
    const servedVersion = plain.headers[ctx.names.apiVersion] as string;
    const problem = future.json as { supported_versions?: unknown; detail?: unknown };
    const listed = Array.isArray(problem.supported_versions)
      ? problem.supported_versions
          .map(String)
          .some((v) => servedVersion.startsWith(v) || v.startsWith(String(major)))
      : typeof problem.detail === "string" && problem.detail.includes(servedVersion);
    if (!listed)
      rec.fail(`the problem does not list the supported versions (${servedVersion} among them)`, future);
    return `latest ${plain.headers[ctx.names.apiVersion]} served by default; ${major + 1} refused with ${type}`;
  },
};

export const cb08: Rule = {
  id: "CB-08",
  level: "MUST",
  title: "Unknown path → 404 problem; known path with another method → 405 with Allow",
  async check(ctx: Context, rec: Recorder) {
    const missing = await rec.send({
      path: `/conform-no-such-path-${Date.now().toString(36)}`,
      note: "a path that does not exist",
    });
    if (missing.status !== 404) rec.fail(`an unknown path answered ${missing.status}, not 404`, missing);
    const defect = problemDefect(missing);
    if (defect) rec.fail(`the 404 is not a problem: ${defect}`, missing);
    if (!ctx.api)
      return "unknown path → 404 problem (no OpenAPI document to find a known path for the 405 check)";
    const documented = new Map<string, Set<string>>();
    for (const op of ctx.api.operations)
      documented.set(op.path, new Set([...(documented.get(op.path) ?? []), op.method]));
    const candidate = [...documented.entries()].find(
      ([path, methods]) => !path.includes("{") && !methods.has("PUT"),
    );
    if (!candidate)
      return "unknown path → 404 problem (every documented path supports PUT; no 405 to provoke)";
    const [path, methods] = candidate;
    const wrong = await rec.send({
      method: "PUT",
      path,
      body: {},
      note: "a method the path does not document",
    });
    if (wrong.status !== 405)
      rec.fail(`PUT ${path} (not documented) answered ${wrong.status}, not 405`, wrong);
    const allow = (wrong.headers.allow ?? "")
      .split(",")
      .map((m) => m.trim().toUpperCase())
      .filter(Boolean);
    if (allow.length === 0) rec.fail("the 405 has no Allow header", wrong);
    const missingMethods = [...methods].filter((m) => !allow.includes(m));
    if (missingMethods.length > 0)
      rec.fail(`Allow: ${wrong.headers.allow} omits documented ${missingMethods.join(", ")}`, wrong);
    const implied = new Set([...methods, "OPTIONS", ...(methods.has("GET") ? ["HEAD"] : [])]);
    const extra = allow.filter((m) => !implied.has(m));
    if (extra.length > 0)
      rec.fail(
        `Allow: ${wrong.headers.allow} lists ${extra.join(", ")}, which ${path} does not support`,
        wrong,
      );
    const defect405 = problemDefect(wrong);
    if (defect405) rec.fail(`the 405 is not a problem: ${defect405}`, wrong);
    return `unknown path → 404 problem; PUT ${path} → 405 Allow: ${wrong.headers.allow}`;
  },
};

export const cb09: Rule = {
  id: "CB-09",
  level: "MUST",
  title: "Missing/invalid token → 401 + WWW-Authenticate: Bearer; weak scope → 403; public operations marked",
  async check(ctx: Context, rec: Recorder) {
    if (!ctx.api)
      rec.skip(`needs the OpenAPI document to know which operations are protected (${ctx.apiProblem})`);
    const protectedGet = ctx.api.operations.find(
      (o) => o.method === "GET" && !o.public && !o.path.includes("{") && !o.deprecated,
    );
    const notes: string[] = [];
    if (protectedGet) {
      for (const [auth, label] of [
        ["none", "no token"],
        [{ authorization: "Bearer conform-invalid-token" }, "an invalid token"],
      ] as const) {
        const e = await rec.send({
          path: protectedGet.path,
          auth,
          note: `${label} on a protected operation`,
        });
        if (e.status !== 401)
          rec.fail(`GET ${protectedGet.path} with ${label} answered ${e.status}, not 401`, e);
        if (!/^bearer\b/i.test(e.headers["www-authenticate"] ?? ""))
          rec.fail(`the 401 for ${label} has no WWW-Authenticate: Bearer`, e);
        const defect = problemDefect(e);
        if (defect) rec.fail(`the 401 is not a problem: ${defect}`, e);
      }
      notes.push(`GET ${protectedGet.path} without or with a bad token → 401 + WWW-Authenticate: Bearer`);
    } else {
      notes.push("no protected GET operation documented");
    }
    // What answers without credentials must be documented as public.
    for (const op of ctx.api.operations
      .filter((o) => o.method === "GET" && !o.path.includes("{") && !o.deprecated)
      .slice(0, 12)) {
      const e = await rec.send({ path: op.path, auth: "none", note: "without credentials" });
      if (e.status >= 200 && e.status < 300 && !op.public) {
        rec.fail(
          `GET ${op.path} answers ${e.status} without a token but is not documented public (security: [])`,
          e,
        );
      }
    }
    const write =
      ctx.collection?.create ??
      ctx.api.operations.find((o) => o.method !== "GET" && !o.public && !o.path.includes("{"));
    if (write && ctx.probe.hasReadOnlyToken) {
      const e = await rec.send({
        method: write.method,
        path: write.path,
        auth: "read",
        query: { validate_only: "true" },
        body: {},
        note: "a write with a read-only token",
      });
      if (e.status !== 403)
        rec.fail(`${write.method} ${write.path} with a read-only token answered ${e.status}, not 403`, e);
      notes.push(`${write.method} ${write.path} with a read-only token → 403`);
    } else {
      // Nothing protected and no scope to check: no evidence either way, so no pass.
      if (!protectedGet)
        rec.skip(
          "not judged: the document protects no GET operation (no security requirement) and no read_only_token was given, so there is no refusal to check",
        );
      notes.push("403 not checked: give a read-only token as profile read_only_token");
    }
    return notes.join("; ");
  },
};
