/** How the CLI's remote backends reach a server: one client factory, one way to call it. */
export { call, type Outcome } from "./call.ts";
export { apiClient, type RemoteOptions } from "./client.ts";
