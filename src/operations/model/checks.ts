import { type Static, Type } from "typebox";
import { DURATION_PATTERN } from "./durations.ts";

/** A duration field; `x-expected` is what the loader says was expected when it does not match. */
export const Duration = (description: string) =>
  Type.String({
    pattern: DURATION_PATTERN,
    description,
    "x-expected": "a duration such as 500ms, 10s, 5m or 1h",
  });

/** A number field that may also be filled by interpolation (`port: "${target.port}"`). */
const NumberOrReference = (description: string, min: number, max: number) =>
  Type.Union([Type.Integer({ minimum: min, maximum: max }), Type.String({ pattern: "\\$\\{" })], {
    description,
    "x-expected": `an integer from ${min} to ${max}, or a "\${…}" reference`,
  });

const closed = { additionalProperties: false } as const;

/** Where an http or tcp check connects from: opsdojo's machine, or the target's host over SSH. */
const From = Type.Optional(
  Type.Enum(["opsdojo", "target"], {
    description:
      "Connect from opsdojo (default) or from the target's host over SSH (docs/operations.md, Targets over SSH).",
    "x-expected": "opsdojo or target",
  }),
);

export const HttpCheckSchema = Type.Object(
  {
    url: Type.String({ minLength: 1 }),
    method: Type.Optional(Type.String({ pattern: "^[A-Za-z]+$" })),
    status: Type.Optional(NumberOrReference("Expected status; default: any 2xx.", 100, 599)),
    body_contains: Type.Optional(Type.String()),
    from: From,
  },
  closed,
);

export const CommandCheckSchema = Type.Object(
  {
    run: Type.String({ minLength: 1 }),
    cwd: Type.Optional(Type.String()),
    exit_code: Type.Optional(NumberOrReference("Expected exit code; default 0.", 0, 255)),
    stdout_contains: Type.Optional(Type.String()),
  },
  closed,
);

export const FileCheckSchema = Type.Object(
  {
    path: Type.String({ minLength: 1 }),
    exists: Type.Optional(Type.Boolean()),
    contains: Type.Optional(Type.String()),
    sha256: Type.Optional(Type.String({ pattern: "^([0-9a-fA-F]{64}|.*\\$\\{.*)$" })),
  },
  closed,
);

export const TcpCheckSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: NumberOrReference("TCP port.", 1, 65535),
    open: Type.Optional(Type.Boolean({ description: "Default true." })),
    from: From,
  },
  closed,
);

const common = {
  name: Type.Optional(Type.String({ minLength: 1 })),
  within: Type.Optional(Duration("Keep re-checking until the check passes or this time has passed.")),
};

/** The four kinds of checks, used in `pre`, `post` and `steady_state`; exactly one kind per check. */
export const CHECK_KINDS = ["http", "command", "file", "tcp"] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const CheckSchema = Type.Union(
  [
    Type.Object({ ...common, http: HttpCheckSchema }, closed),
    Type.Object({ ...common, command: CommandCheckSchema }, closed),
    Type.Object({ ...common, file: FileCheckSchema }, closed),
    Type.Object({ ...common, tcp: TcpCheckSchema }, closed),
  ],
  { "x-expected": "a check with one of http, command, file or tcp", "x-kinds": [...CHECK_KINDS] },
);

export type HttpCheck = Static<typeof HttpCheckSchema>;
export type CommandCheck = Static<typeof CommandCheckSchema>;
export type FileCheck = Static<typeof FileCheckSchema>;
export type TcpCheck = Static<typeof TcpCheckSchema>;
export type Check = Static<typeof CheckSchema>;
