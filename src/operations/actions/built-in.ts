import * as models from "../planner/action-models.ts";
import { dynamodbCreateTable } from "../providers/dynamodb/create-table.ts";
import { dynamodbDeleteItem } from "../providers/dynamodb/delete-item.ts";
import { dynamodbDeleteTable } from "../providers/dynamodb/delete-table.ts";
import { dynamodbPutItem } from "../providers/dynamodb/put-item.ts";
import { dynamodbUpdateItem } from "../providers/dynamodb/update-item.ts";
import { fileChmod } from "../providers/file/chmod.ts";
import { fileCopy } from "../providers/file/copy.ts";
import { fileDelete } from "../providers/file/delete.ts";
import { fileMkdir } from "../providers/file/mkdir.ts";
import { fileMove } from "../providers/file/move.ts";
import { fileReplace } from "../providers/file/replace.ts";
import { fileSymlink } from "../providers/file/symlink.ts";
import { fileWrite } from "../providers/file/write.ts";
import { httpRequest } from "../providers/http/http-request.ts";
import { noop } from "../providers/noop/noop.ts";
import { s3CreateBucket } from "../providers/s3/create-bucket.ts";
import { s3DeleteBucket } from "../providers/s3/delete-bucket.ts";
import { s3DeleteObject } from "../providers/s3/delete-object.ts";
import { s3PutObject } from "../providers/s3/put-object.ts";
import { shellRun } from "../providers/shell/shell-run.ts";
import type { AnyProvider } from "./model.ts";
import { defineAction as a, createActionRegistry } from "./registry.ts";

/**
 * Every action operation/v1 knows (OPERATIONS.md "Actions"), one line each — the only list.
 * Adding an action: its folder under providers/ (the provider), its model in
 * planner/action-models.ts, and a line here (docs/architecture.md, "How to add an action").
 */
export const BUILT_IN_ACTIONS = [
  a("file.write", { provider: fileWrite, model: models.fileWrite, undo: "automatic" }),
  a("file.delete", { provider: fileDelete, model: models.fileDelete, undo: "automatic" }),
  a("file.mkdir", { provider: fileMkdir, model: models.fileMkdir, undo: "automatic" }),
  a("file.copy", { provider: fileCopy, model: models.fileCopy, undo: "automatic" }),
  a("file.move", { provider: fileMove, model: models.fileMove, undo: "automatic" }),
  a("file.chmod", { provider: fileChmod, model: models.fileChmod, undo: "automatic" }),
  a("file.symlink", { provider: fileSymlink, model: models.fileSymlink, undo: "automatic" }),
  a("file.replace", { provider: fileReplace, model: models.fileReplace, undo: "automatic" }),
  a("shell.run", { provider: shellRun, model: models.shellRun, undo: "irreversible" }),
  a("http.request", { provider: httpRequest, model: models.httpRequest, undo: "irreversible" }),
  a("noop", { provider: noop, model: models.noop, undo: "automatic" }),
  a("s3.create_bucket", { provider: s3CreateBucket, model: models.s3CreateBucket, undo: "automatic" }),
  a("s3.put_object", { provider: s3PutObject, model: models.s3PutObject, undo: "automatic" }),
  a("s3.delete_object", { provider: s3DeleteObject, model: models.s3DeleteObject, undo: "automatic" }),
  a("s3.delete_bucket", { provider: s3DeleteBucket, model: models.s3DeleteBucket, undo: "planned" }),
  a("dynamodb.create_table", {
    provider: dynamodbCreateTable,
    model: models.ddbCreateTable,
    undo: "automatic",
  }),
  a("dynamodb.put_item", { provider: dynamodbPutItem, model: models.ddbPutItem, undo: "automatic" }),
  a("dynamodb.update_item", { provider: dynamodbUpdateItem, model: models.ddbUpdateItem, undo: "automatic" }),
  a("dynamodb.delete_item", { provider: dynamodbDeleteItem, model: models.ddbDeleteItem, undo: "automatic" }),
  a("dynamodb.delete_table", {
    provider: dynamodbDeleteTable,
    model: models.ddbDeleteTable,
    undo: "planned",
  }),
] as const;

/** The name of a built-in action: `file.write`, `shell.run`, … */
export type ActionName = (typeof BUILT_IN_ACTIONS)[number]["name"];

/** The registry of the built-in actions: what every command and the server use. */
export const ACTIONS = createActionRegistry(BUILT_IN_ACTIONS);

/** Every built-in action's name (the schema's `uses` enum), in registration order. */
export const KNOWN_ACTIONS: readonly ActionName[] = BUILT_IN_ACTIONS.map((e) => e.name);

export function isKnownAction(name: string): name is ActionName {
  return ACTIONS.has(name);
}

/** The built-in providers by action name (what the engine runs unless given another registry). */
export function defaultProviders(): ReadonlyMap<string, AnyProvider> {
  return ACTIONS.providers;
}
