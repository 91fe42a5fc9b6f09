import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type MotoServer, startMoto } from "./moto-server.ts";

/**
 * The run's one moto_server, started by the first test file that asks for it.
 *
 * moto is Python: each server costs one to two seconds of CPU to start, and nineteen test files
 * each started their own. The global setup runs this broker instead, a tiny HTTP server on
 * loopback that the test workers ask for moto's endpoint (`GET /endpoint`); the first question
 * starts moto (in the vitest main process, so the server outlives the worker that asked, and the
 * watchdog stops it if the run dies). A run without AWS tests never starts Python at all.
 * Test files share the server but not its state: each works in an AWS account of its own
 * (`useMoto()`, moto.ts).
 */
export interface MotoBroker {
  /** Where workers ask: `GET ${url}/endpoint` answers moto's endpoint (200) or why not (500). */
  readonly url: string;
  /** CPU seconds moto_server has used so far (0 if none was started). */
  motoCpuSeconds(): number;
  /** Stop answering, and stop moto_server if it was started. */
  close(): Promise<void>;
}

export async function startMotoBroker(): Promise<MotoBroker> {
  let moto: Promise<MotoServer> | undefined;
  let started: MotoServer | undefined;
  const server = createServer((request, response) => {
    if (request.url !== "/endpoint") {
      response.writeHead(404).end();
      return;
    }
    moto ??= startMoto().then((m) => {
      started = m;
      return m;
    });
    moto.then(
      (m) => response.writeHead(200, { "content-type": "text/plain" }).end(m.endpoint),
      (error: Error) => response.writeHead(500, { "content-type": "text/plain" }).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    motoCpuSeconds: () => started?.cpuSeconds() ?? 0,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // A start still under way is waited for, so nothing is left running.
      await (await moto?.catch(() => undefined))?.stop();
    },
  };
}
