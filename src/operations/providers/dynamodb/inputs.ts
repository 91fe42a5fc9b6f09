import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { messageOf } from "../../../core/index.ts";
import { ActionInputError } from "../errors.ts";
import { marshal, marshalItem } from "./attribute-values.ts";

export { asInput, knownFields } from "../s3/inputs.ts";

export function tableName(action: string, value: unknown): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(value))
    throw new ActionInputError(
      action,
      "table",
      "must be a table name: 3-255 characters of A-Z a-z 0-9 _ . -",
    );
  return value;
}

/** A plain JSON object (`{id: "a", n: 1}`) as a DynamoDB item, with the failing field named. */
export function plainItem(action: string, value: unknown, field: string): Record<string, AttributeValue> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0)
    throw new ActionInputError(action, field, "must be a map of attribute names to values");
  try {
    return marshalItem(value as Record<string, unknown>, field);
  } catch (error) {
    throw new ActionInputError(action, field, messageOf(error));
  }
}

export function plainValue(action: string, value: unknown, field: string): AttributeValue {
  try {
    return marshal(value, field);
  } catch (error) {
    throw new ActionInputError(action, field, messageOf(error));
  }
}
