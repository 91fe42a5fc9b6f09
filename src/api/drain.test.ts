import { request } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { systemClock } from "../core/index.ts";
import { openStore } from "../store/index.ts";
import { createApiCore } from "./core.ts";
import { streamEvents } from "./event-stream.ts";

afterAll(removeTempDirs);

describe("a draining node", () => {
  it("ends every open event stream at once and answers new requests with a 503 problem", async () => {
    const store = await openStore({ home: await tempDir() });
    const app = await createApiCore({ store, clock: systemClock });
    // A feed that is never over: only the drain can end its streams.
    const feed = { after: async () => ({ events: [], over: false }), subscribe: () => () => {} };
    app.get("/stream", { config: { scope: "public" } }, (req, reply) =>
      streamEvents(req, reply, feed, { after: 0, pollMs: 60_000, page: 10 }),
    );
    app.get("/plain", { config: { scope: "public" } }, async () => ({ ok: true }));
    try {
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      const ended: Promise<void>[] = [];
      const opened = Array.from(
        { length: 5 },
        () =>
          new Promise<number>((resolve, reject) => {
            const req = request(`${base}/stream`, { agent: false }, (res) => {
              resolve(res.statusCode ?? 0);
              res.resume();
              ended.push(new Promise((done) => res.on("end", done)));
            });
            req.on("error", reject);
            req.end();
          }),
      );
      expect(await Promise.all(opened)).toEqual([200, 200, 200, 200, 200]);
      expect((await fetch(`${base}/plain`)).status).toBe(200);

      app.core.drain.begin();
      await Promise.all(ended);
      const refused = await fetch(`${base}/plain`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(((await refused.json()) as { detail: string }).detail).toMatch(/shutting down/);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
