import { createOpsdojoClient, describeDeprecation, type OpsdojoClient } from "../../client/index.ts";

/** Where a remote backend talks to: the server and its token, as `resolveTarget` found them. */
export interface RemoteOptions {
  readonly url: string;
  readonly token: string;
  /** Where deprecation notices go; main prints them after the result. */
  readonly warn: (message: string) => void;
  readonly fetch?: typeof globalThis.fetch;
}

/** The typed client (retries, version pinning, deprecation notices) as every command uses it. */
export function apiClient(options: RemoteOptions): OpsdojoClient {
  return createOpsdojoClient({
    baseUrl: options.url,
    token: options.token,
    onDeprecation: (notice) => options.warn(describeDeprecation(notice)),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
