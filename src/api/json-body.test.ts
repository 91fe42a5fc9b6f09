import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { type ApiApp, createApiCore } from "./core.ts";
import { charsetOf } from "./json-body.ts";

let store: Store;
let app: ApiApp;
let auth: Record<string, string>;
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({
    store,
    clock: new ManualClock(),
    rateLimit: { quota: 10_000, windowSeconds: 60 },
  });
  app.post("/api/echo", async (request) => ({ got: request.body }));
  await app.ready();
  auth = {
    authorization: `Bearer ${(await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token}`,
  };
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

function post(payload: Buffer | string, contentType: string) {
  return app.inject({
    method: "POST",
    url: "/api/echo",
    headers: { ...auth, "content-type": contentType },
    payload,
  });
}

describe("JSON bodies are strictly UTF-8", () => {
  it("accepts UTF-8, with or without charset=utf-8, multi-byte characters intact", async () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      'application/json;charset="UTF-8"',
    ]) {
      const res = await post(Buffer.from('{"name":"Zoë 🚀"}', "utf8"), type);
      expect(res.statusCode, type).toBe(200);
      expect(res.json()).toEqual({ got: { name: "Zoë 🚀" } });
    }
  });

  it("refuses bytes that are not UTF-8 with a 400 problem naming where", async () => {
    const broken = Buffer.concat([Buffer.from('{"name":"ab'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await post(broken, "application/json");
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      detail: "the body is not valid UTF-8 (first bad byte at offset 11); JSON bodies must be UTF-8",
    });
    // An overlong encoding and a lone surrogate are not UTF-8 either.
    expect((await post(Buffer.from([0x22, 0xc0, 0xaf, 0x22]), "application/json")).statusCode).toBe(400);
    expect((await post(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), "application/json")).statusCode).toBe(
      400,
    );
  });

  it("refuses any other charset with a 415 problem instead of reading it as UTF-8", async () => {
    const utf16 = Buffer.from('{"name":"x"}', "utf16le");
    const res = await post(utf16, "application/json; charset=utf-16");
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      status: 415,
      detail:
        "JSON bodies must be UTF-8, not charset=utf-16; send the body as UTF-8 with Content-Type: application/json (charset=utf-8 or no charset)",
    });
    expect((await post('{"a":1}', "application/json; charset=latin1")).statusCode).toBe(415);
  });

  it("keeps Fastify's own checks after decoding: empty body, bad syntax, __proto__, constructor.prototype", async () => {
    expect((await post("", "application/json")).statusCode).toBe(400);
    expect((await post("{", "application/json")).statusCode).toBe(400);
    expect((await post('{"__proto__":{"x":1}}', "application/json")).statusCode).toBe(400);
    expect((await post('{"constructor":{"prototype":{"x":1}}}', "application/json")).statusCode).toBe(400);
  });
});

describe("charsetOf", () => {
  it("reads the charset parameter, case-insensitively and unquoted", () => {
    expect(charsetOf(undefined)).toBeUndefined();
    expect(charsetOf("application/json")).toBeUndefined();
    expect(charsetOf('application/json; Charset="UTF-16"')).toBe("utf-16");
    expect(charsetOf("application/json; foo=bar; charset=utf-8")).toBe("utf-8");
  });
});
