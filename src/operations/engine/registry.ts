import { dynamodbProviders } from "../providers/dynamodb/index.ts";
import { httpRequest } from "../providers/http/http-request.ts";
import { fileProviders, noop } from "../providers/index.ts";
import type { ActionProvider } from "../providers/provider.ts";
import { s3Providers } from "../providers/s3/index.ts";
import { shellRun } from "../providers/shell/shell-run.ts";

// biome-ignore lint/suspicious/noExplicitAny: providers differ in input and state types; the engine treats them alike
export type AnyProvider = ActionProvider<any, any, any>;

/** Every action this build can run, by name (`file.write`, `shell.run`, …). */
export function defaultProviders(): ReadonlyMap<string, AnyProvider> {
  const all: AnyProvider[] = [
    ...fileProviders,
    noop,
    shellRun,
    httpRequest,
    ...s3Providers,
    ...dynamodbProviders,
  ];
  return new Map(all.map((p) => [p.action, p]));
}
