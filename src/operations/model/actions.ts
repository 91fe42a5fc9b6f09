/** Every action operation/v1 knows (OPERATIONS.md "Actions"); `uses` must name one of them. */
export const KNOWN_ACTIONS = [
  "file.write",
  "file.delete",
  "file.mkdir",
  "file.copy",
  "file.move",
  "file.chmod",
  "file.symlink",
  "file.replace",
  "shell.run",
  "http.request",
  "noop",
  "s3.create_bucket",
  "s3.put_object",
  "s3.delete_object",
  "s3.delete_bucket",
  "dynamodb.create_table",
  "dynamodb.put_item",
  "dynamodb.update_item",
  "dynamodb.delete_item",
  "dynamodb.delete_table",
] as const;

export type ActionName = (typeof KNOWN_ACTIONS)[number];

export function isKnownAction(name: string): name is ActionName {
  return (KNOWN_ACTIONS as readonly string[]).includes(name);
}
