import { type Static, Type } from "typebox";
import { commonAttributes } from "../api/index.ts";

export const LIFECYCLES = ["experimental", "production", "deprecated"] as const;
export const VERSION_STATUSES = ["active", "deprecated", "sunset"] as const;
export const INSTANCE_STATUSES = ["unknown", "pass", "warn", "fail"] as const;

const Name = Type.String({
  pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
  maxLength: 63,
  description: "Unique among live entries; kebab-case, e.g. `payments-api`.",
});
const Timestamp = Type.String({ format: "date-time" });
const HttpUrl = Type.String({ format: "uri", pattern: "^https?://", maxLength: 2000 });

export const ServiceVersionSchema = Type.Object(
  {
    version: Type.String({ pattern: "^\\d+\\.\\d+\\.\\d+$", description: "MAJOR.MINOR.PATCH" }),
    status: Type.Enum(VERSION_STATUSES),
    deprecated_at: Type.Optional(Timestamp),
    sunset_at: Type.Optional(Timestamp),
    spec_url: Type.Optional(HttpUrl),
  },
  { additionalProperties: false },
);

export const InstanceInputSchema = Type.Object({ base_url: HttpUrl }, { additionalProperties: false });

export const InstanceSchema = Type.Object(
  {
    base_url: Type.String(),
    status: Type.Enum(INSTANCE_STATUSES, { description: "From the latest health poll." }),
    checked_at: Type.Optional(Timestamp),
    detail: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One status transition of an instance, as the directory's health polls saw it. */
export const HealthEventSchema = Type.Object(
  {
    id: Type.String({ description: "Opaque id (`hev_…`)." }),
    base_url: Type.String({ description: "The instance." }),
    status: Type.Enum(INSTANCE_STATUSES, { description: "The status from this instant on." }),
    previous_status: Type.Enum(INSTANCE_STATUSES, {
      description: "The status before it (`unknown` for an instance's first poll).",
    }),
    at: Type.String({ format: "date-time", description: "The poll that saw the change." }),
    detail: Type.Optional(
      Type.String({ description: "What that poll said (an HTTP status, an error code)." }),
    ),
  },
  { additionalProperties: false, title: "HealthEvent" },
);

const HealthUrl = Type.String({
  maxLength: 2000,
  pattern: "^(https?://|/)",
  description: "Absolute URL, or a path resolved against each instance's base_url. Default `/health`.",
});

const editable = {
  owner: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 2000 }),
  lifecycle: Type.Enum(LIFECYCLES),
  versions: Type.Array(ServiceVersionSchema, { maxItems: 50 }),
  instances: Type.Array(InstanceInputSchema, { maxItems: 50 }),
  health_url: HealthUrl,
};

export const ServiceCreateSchema = Type.Object(
  {
    name: Name,
    owner: editable.owner,
    description: Type.Optional(editable.description),
    lifecycle: Type.Optional(editable.lifecycle),
    versions: Type.Optional(editable.versions),
    instances: Type.Optional(editable.instances),
    health_url: Type.Optional(editable.health_url),
  },
  { additionalProperties: false, title: "ServiceCreate" },
);

export const ServiceUpdateSchema = Type.Object(
  {
    name: Type.Optional(Name),
    owner: Type.Optional(editable.owner),
    description: Type.Optional(editable.description),
    lifecycle: Type.Optional(editable.lifecycle),
    versions: Type.Optional(editable.versions),
    instances: Type.Optional(editable.instances),
    health_url: Type.Optional(editable.health_url),
  },
  { additionalProperties: false, title: "ServiceUpdate", minProperties: 1 },
);

const Count = Type.Integer({ minimum: 0 });

/** The latest conformance check (`opsdojo services check`): counts over all instances checked. */
export const ConformanceResultSchema = Type.Object(
  {
    checked_at: Timestamp,
    pass: Count,
    fail: Count,
    skip: Count,
    must_failures: Type.Array(Type.String({ pattern: "^CB-\\d{2}$" }), { maxItems: 30 }),
    instances: Type.Array(
      Type.Object(
        {
          base_url: Type.String({ maxLength: 2000 }),
          pass: Count,
          fail: Count,
          skip: Count,
          must_failures: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 30 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false, title: "ConformanceResult" },
);

export const ServiceSchema = Type.Object(
  {
    ...commonAttributes,
    name: Type.String(),
    owner: Type.String(),
    description: Type.String(),
    lifecycle: editable.lifecycle,
    versions: Type.Array(ServiceVersionSchema),
    instances: Type.Array(InstanceSchema),
    health_url: Type.String(),
    deleted_at: Type.Optional(
      Type.String({ format: "date-time", description: "Present only on a soft-deleted entry." }),
    ),
    conformance: Type.Optional(ConformanceResultSchema),
  },
  { additionalProperties: false, title: "Service" },
);

export type ServiceVersion = Static<typeof ServiceVersionSchema>;
export type ServiceCreate = Static<typeof ServiceCreateSchema>;
export type ServiceUpdate = Static<typeof ServiceUpdateSchema>;
export type Instance = Static<typeof InstanceSchema>;
export type HealthEvent = Static<typeof HealthEventSchema>;
export type Service = Static<typeof ServiceSchema>;
export type ConformanceResult = Static<typeof ConformanceResultSchema>;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const DEFAULT_HEALTH_PATH = "/health";
