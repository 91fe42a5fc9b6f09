import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { type Static, Type } from "typebox";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { messageOf } from "../core/index.ts";
import { ProfileError } from "./errors.ts";
import { isRuleId } from "./model.ts";

/**
 * A profile adapts the suite to a service that names things differently. Every field is
 * optional; the defaults are opsdojo's own conventions (API.md).
 */
export const ProfileSchema = Type.Object(
  {
    spec_url: Type.Optional(
      Type.String({ description: "Where the OpenAPI document is; default /openapi.json." }),
    ),
    token: Type.Optional(Type.String({ description: "Bearer token for every request (or --token)." })),
    read_only_token: Type.Optional(
      Type.String({ description: "A token without write scope, to check 403 (CB-09)." }),
    ),
    allow_writes: Type.Optional(
      Type.Boolean({
        description: "Let the suite create (and afterwards delete) its own fixtures. Default false.",
      }),
    ),
    collection: Type.Optional(
      Type.String({ description: "The collection path to test, e.g. /api/widgets; default: discovered." }),
    ),
    create_body: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "A valid body for creating a fixture; default: generated from the schema.",
      }),
    ),
    filter_fields: Type.Optional(
      Type.Array(Type.String(), { description: "Fields the collection filters and sorts on." }),
    ),
    headers: Type.Optional(
      Type.Object(
        {
          api_version: Type.Optional(Type.String()),
          accept_version: Type.Optional(Type.String()),
          request_id: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    pagination: Type.Optional(
      Type.Object(
        {
          limit: Type.Optional(Type.String()),
          cursor: Type.Optional(Type.String()),
          next_cursor: Type.Optional(Type.String()),
          items: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    health_path: Type.Optional(Type.String()),
    rate_limit: Type.Optional(
      Type.Object(
        {
          path: Type.Optional(Type.String({ description: "A cheap GET to exhaust the quota with (CB-22)." })),
          max_requests: Type.Optional(
            Type.Integer({ minimum: 1, description: "Give up exhausting after this many; default 5000." }),
          ),
          max_wait_seconds: Type.Optional(
            Type.Integer({ minimum: 0, description: "Longest Retry-After to wait out; default 70." }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    second_base_url: Type.Optional(
      Type.String({ description: "Another node of the same service, for CB-29." }),
    ),
    fuzz: Type.Optional(
      Type.Object(
        {
          requests: Type.Optional(
            Type.Integer({ minimum: 0, description: "Generated requests for CB-30; default 200." }),
          ),
          seed: Type.Optional(Type.Integer()),
        },
        { additionalProperties: false },
      ),
    ),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100 })),
    skip: Type.Optional(
      Type.Record(Type.String(), Type.String({ minLength: 1 }), {
        description: "Rules not to run, each with the reason (reported as skipped, never as passed).",
      }),
    ),
  },
  { additionalProperties: false },
);

export type Profile = Static<typeof ProfileSchema>;

/** Names the suite uses, after the profile's overrides. */
export interface Names {
  readonly apiVersion: string;
  readonly acceptVersion: string;
  readonly requestId: string;
  readonly limit: string;
  readonly cursor: string;
  readonly nextCursor: string;
  readonly items: string;
}

export function namesOf(profile: Profile): Names {
  return {
    apiVersion: (profile.headers?.api_version ?? "API-Version").toLowerCase(),
    acceptVersion: profile.headers?.accept_version ?? "Accept-Version",
    requestId: (profile.headers?.request_id ?? "X-Request-Id").toLowerCase(),
    limit: profile.pagination?.limit ?? "limit",
    cursor: profile.pagination?.cursor ?? "cursor",
    nextCursor: profile.pagination?.next_cursor ?? "next_cursor",
    items: profile.pagination?.items ?? "items",
  };
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(ProfileSchema);

/** Read a YAML or JSON profile; every problem is reported at once with its line. */
export async function loadProfile(file: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ProfileError(
      `cannot read the profile ${file}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`,
      { file },
    );
  }
  return parseProfile(text, file);
}

export function parseProfile(text: string, file: string): Profile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = lines.linePos(first.pos[0]).line;
    throw new ProfileError(`${file}:${line}: not valid YAML or JSON: ${first.message.split("\n")[0]}`, {
      file,
      line,
    });
  }
  const value: unknown = doc.toJS() ?? {};
  const problems: string[] = [];
  let firstLine: number | undefined;
  if (!validate(value)) {
    for (const e of validate.errors ?? []) {
      const extra =
        e.keyword === "additionalProperties"
          ? `/${String((e.params as { additionalProperty?: string }).additionalProperty)}`
          : "";
      const pointer = `${e.instancePath}${extra}`;
      const line = lineOf(doc, pointer, lines);
      firstLine ??= line;
      const what =
        e.keyword === "additionalProperties" ? "is not a profile setting" : (e.message ?? "is not valid");
      problems.push(`${file}:${line ?? 1}: ${pointer || "(top level)"} ${what}`);
    }
  }
  const profile = value as Profile;
  for (const rule of Object.keys(profile.skip ?? {})) {
    if (!isRuleId(rule)) {
      const line = lineOf(doc, `/skip/${rule}`, lines);
      firstLine ??= line;
      problems.push(`${file}:${line ?? 1}: /skip/${rule} is not a rule id (CB-01 … CB-30)`);
    }
  }
  if (problems.length > 0) {
    throw new ProfileError(
      `the profile is not valid:\n  ${problems.join("\n  ")}\nSee docs/conformance.md for every setting.`,
      firstLine === undefined ? { file } : { file, line: firstLine },
    );
  }
  return profile;
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  pointer: string,
  lines: LineCounter,
): number | undefined {
  const path = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value ?? it.key) === key);
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
    } else break;
  }
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}
