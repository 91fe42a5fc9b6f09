import type { ActionProvider } from "../provider.ts";
import { dynamodbCreateTable } from "./create-table.ts";
import { dynamodbDeleteItem } from "./delete-item.ts";
import { dynamodbDeleteTable } from "./delete-table.ts";
import { dynamodbPutItem } from "./put-item.ts";
import { dynamodbUpdateItem } from "./update-item.ts";

export type { WireItem } from "./attribute-values.ts";
export { dynamodbClient, dynamodbEndpoint } from "./client.ts";
export { type DynamoDbCreateTableState, dynamodbCreateTable } from "./create-table.ts";
export { dynamodbDeleteItem } from "./delete-item.ts";
export { type DynamoDbDeleteTableState, dynamodbDeleteTable } from "./delete-table.ts";
export { DynamoDbConflictError, DynamoDbRequestError } from "./errors.ts";
export type { ItemState } from "./item-action.ts";
export { dynamodbPutItem } from "./put-item.ts";
export type { TableDefinition } from "./table-definition.ts";
export { dynamodbUpdateItem } from "./update-item.ts";

/** Every DynamoDB action, for the engine's registry (each pre-state is opaque JSON to the engine). */
export const dynamodbProviders: readonly ActionProvider<Record<string, unknown>, unknown>[] = [
  dynamodbCreateTable,
  dynamodbPutItem,
  dynamodbUpdateItem,
  dynamodbDeleteItem,
  dynamodbDeleteTable,
];
