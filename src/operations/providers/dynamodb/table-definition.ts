import {
  type BillingMode,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  type ProjectionType,
  type ScalarAttributeType,
  type StreamViewType,
  type TableDescription,
  TagResourceCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { messageOf } from "../../../core/index.ts";
import { awsErrorFacts } from "../s3/errors.ts";
import { call } from "./dynamo-calls.ts";
import { DynamoDbRequestError } from "./errors.ts";

export interface KeyPart {
  readonly name: string;
  readonly key_type: "HASH" | "RANGE";
}

export interface IndexDefinition {
  readonly name: string;
  readonly key_schema: readonly KeyPart[];
  readonly projection: { readonly type: string; readonly non_key?: readonly string[] };
  readonly throughput?: { readonly read: number; readonly write: number };
}

/**
 * What it takes to make a table again as it was: keys, attribute types, billing, indexes,
 * stream, TTL and tags — captured from DescribeTable (delete_table) or built from a step's input
 * (create_table). Items are not part of it.
 */
export interface TableDefinition {
  readonly table: string;
  readonly attributes: readonly { readonly name: string; readonly type: string }[];
  readonly key_schema: readonly KeyPart[];
  readonly billing_mode: "PAY_PER_REQUEST" | "PROVISIONED";
  readonly throughput?: { readonly read: number; readonly write: number };
  readonly global_indexes: readonly IndexDefinition[];
  readonly local_indexes: readonly IndexDefinition[];
  readonly stream?: string;
  readonly ttl_attribute?: string;
  readonly tags: Readonly<Record<string, string>>;
}

const keyParts = (schema: TableDescription["KeySchema"]): KeyPart[] =>
  (schema ?? []).map((k) => ({
    name: String(k.AttributeName),
    key_type: k.KeyType === "RANGE" ? "RANGE" : "HASH",
  }));

function projectionOf(
  p: { ProjectionType?: string | undefined; NonKeyAttributes?: string[] | undefined } | undefined,
) {
  return {
    type: p?.ProjectionType ?? "ALL",
    ...(p?.NonKeyAttributes?.length ? { non_key: [...p.NonKeyAttributes] } : {}),
  };
}

/** Read a table's definition (TTL and tags where the server has them). */
export async function readDefinition(
  client: DynamoDBClient,
  action: string,
  desc: TableDescription,
): Promise<TableDefinition> {
  const table = String(desc.TableName);
  const billing =
    desc.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED";
  const throughputOf = (
    t: { ReadCapacityUnits?: number | undefined; WriteCapacityUnits?: number | undefined } | undefined,
  ) =>
    billing === "PROVISIONED"
      ? { throughput: { read: Number(t?.ReadCapacityUnits ?? 1), write: Number(t?.WriteCapacityUnits ?? 1) } }
      : {};
  let ttl: string | undefined;
  try {
    const out = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    const status = out.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === "ENABLED" || status === "ENABLING") ttl = out.TimeToLiveDescription?.AttributeName;
  } catch (error) {
    if (awsErrorFacts(error).name !== "UnknownOperationException")
      throw new DynamoDbRequestError(action, { table }, "reading the TTL setting of", error);
  }
  let tags: Record<string, string> = {};
  if (desc.TableArn !== undefined) {
    try {
      const out = await client.send(new ListTagsOfResourceCommand({ ResourceArn: desc.TableArn }));
      tags = Object.fromEntries((out.Tags ?? []).map((t) => [String(t.Key), String(t.Value)]));
    } catch (error) {
      if (awsErrorFacts(error).name !== "UnknownOperationException")
        throw new DynamoDbRequestError(action, { table }, "reading the tags of", error);
    }
  }
  return {
    table,
    attributes: (desc.AttributeDefinitions ?? []).map((a) => ({
      name: String(a.AttributeName),
      type: String(a.AttributeType),
    })),
    key_schema: keyParts(desc.KeySchema),
    billing_mode: billing,
    ...throughputOf(desc.ProvisionedThroughput),
    global_indexes: (desc.GlobalSecondaryIndexes ?? []).map((i) => ({
      name: String(i.IndexName),
      key_schema: keyParts(i.KeySchema),
      projection: projectionOf(i.Projection),
      ...throughputOf(i.ProvisionedThroughput),
    })),
    local_indexes: (desc.LocalSecondaryIndexes ?? []).map((i) => ({
      name: String(i.IndexName),
      key_schema: keyParts(i.KeySchema),
      projection: projectionOf(i.Projection),
    })),
    ...(desc.StreamSpecification?.StreamEnabled
      ? { stream: String(desc.StreamSpecification.StreamViewType) }
      : {}),
    ...(ttl === undefined ? {} : { ttl_attribute: ttl }),
    tags,
  };
}

function createInput(def: TableDefinition): CreateTableCommandInput {
  const provisioned = def.billing_mode === "PROVISIONED";
  const throughput = (t: { read: number; write: number } | undefined) =>
    provisioned
      ? { ProvisionedThroughput: { ReadCapacityUnits: t?.read ?? 1, WriteCapacityUnits: t?.write ?? 1 } }
      : {};
  const schema = (parts: readonly KeyPart[]) =>
    parts.map((k) => ({ AttributeName: k.name, KeyType: k.key_type }));
  const projection = (p: IndexDefinition["projection"]) => ({
    ProjectionType: p.type as ProjectionType,
    ...(p.non_key === undefined ? {} : { NonKeyAttributes: [...p.non_key] }),
  });
  return {
    TableName: def.table,
    AttributeDefinitions: def.attributes.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type as ScalarAttributeType,
    })),
    KeySchema: schema(def.key_schema),
    BillingMode: def.billing_mode as BillingMode,
    ...throughput(def.throughput),
    ...(def.global_indexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: def.global_indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: schema(i.key_schema),
            Projection: projection(i.projection),
            ...throughput(i.throughput),
          })),
        }),
    ...(def.local_indexes.length === 0
      ? {}
      : {
          LocalSecondaryIndexes: def.local_indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: schema(i.key_schema),
            Projection: projection(i.projection),
          })),
        }),
    ...(def.stream === undefined
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream as StreamViewType } }),
  };
}

/** Send CreateTable for the definition; the caller waits for ACTIVE, then calls `finishTable`. */
export async function createTable(
  client: DynamoDBClient,
  action: string,
  def: TableDefinition,
): Promise<void> {
  await call(action, { table: def.table }, "creating", () =>
    client.send(new CreateTableCommand(createInput(def))),
  );
}

/** What can only be set on an ACTIVE table: TTL and tags. */
export async function finishTable(
  client: DynamoDBClient,
  action: string,
  def: TableDefinition,
  arn: string | undefined,
): Promise<void> {
  if (def.ttl_attribute !== undefined) {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: def.table,
          TimeToLiveSpecification: { AttributeName: def.ttl_attribute, Enabled: true },
        }),
      );
    } catch (error) {
      // A server without TTL (dynalite reads the setting but cannot change it) has none to restore.
      const { name } = awsErrorFacts(error);
      if (name !== "UnknownOperationException" && !/already enabled/i.test(messageOf(error)))
        throw new DynamoDbRequestError(action, { table: def.table }, "setting the TTL attribute of", error);
    }
  }
  const tags = Object.entries(def.tags);
  if (tags.length > 0 && arn !== undefined) {
    await call(action, { table: def.table }, "tagging", () =>
      client.send(
        new TagResourceCommand({ ResourceArn: arn, Tags: tags.map(([Key, Value]) => ({ Key, Value })) }),
      ),
    );
  }
}
