import { createServer } from "node:net";

/**
 * A loopback port nothing listens on: bound, then released. For tests of what happens when a
 * check, probe or service finds no one there (another process could take it meanwhile, but
 * nothing in a test run binds fixed ports).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
