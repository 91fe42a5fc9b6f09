import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { CursorCodec, ProblemError } from "../api/index.ts";
import { ManualClock, randomSecret } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { Directory } from "./directory.ts";
import {
  ServiceChangedError,
  ServiceInvalidError,
  ServiceNameTakenError,
  ServiceNotFoundError,
} from "./errors.ts";
import type { ServiceVersion } from "./model.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("Directory on %s", (_name, open) => {
  async function directory(clock = new ManualClock("2026-03-01T00:00:00.000Z")) {
    const store = await open();
    stores.push(store);
    return { dir: new Directory({ store, clock, cursors: new CursorCodec(randomSecret(32)) }), clock, store };
  }

  it("creates an entry with defaults, normalised instances and an etag, and reads it back", async () => {
    const { dir, clock } = await directory();
    const created = await dir.create({
      name: "payments-api",
      owner: "payments",
      instances: [{ base_url: "http://10.0.0.1:8080/" }, { base_url: "http://10.0.0.2:8080" }],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^svc_[0-9a-z]{26}$/),
      name: "payments-api",
      owner: "payments",
      description: "",
      lifecycle: "experimental",
      versions: [],
      instances: [
        { base_url: "http://10.0.0.1:8080", status: "unknown" },
        { base_url: "http://10.0.0.2:8080", status: "unknown" },
      ],
      health_url: "/health",
      created_at: clock.now().toISOString(),
      updated_at: clock.now().toISOString(),
      etag: expect.any(String),
    });
    expect(await dir.get(created.id)).toEqual(created);
    expect(await dir.findByName("payments-api")).toEqual(created);
    expect(await dir.findByName("nope")).toBeUndefined();
    expect((await dir.list({})).items).toEqual([created]);
  });

  it("keeps names unique among live entries only", async () => {
    const { dir } = await directory();
    const first = await dir.create({ name: "orders", owner: "a" });
    expect(await caught(dir.create({ name: "orders", owner: "b" }))).toBeInstanceOf(ServiceNameTakenError);
    expect(await caught(dir.create({ name: "orders", owner: "b" }, { validateOnly: true }))).toBeInstanceOf(
      ServiceNameTakenError,
    );
    const other = await dir.create({ name: "billing", owner: "b" });
    expect(await caught(dir.update(other.id, { name: "orders" }))).toBeInstanceOf(ServiceNameTakenError);
    expect(await caught(dir.update(other.id, { name: "orders" }, { validateOnly: true }))).toBeInstanceOf(
      ServiceNameTakenError,
    );

    await dir.remove(first.id);
    const second = await dir.create({ name: "orders", owner: "c" });
    expect(second.id).not.toBe(first.id);
    expect((await dir.findByName("orders"))?.id).toBe(second.id);
    // The deleted entry cannot come back while its name is taken; nothing changes when it tries.
    expect(await caught(dir.undelete(first.id))).toBeInstanceOf(ServiceNameTakenError);
    expect(await caught(dir.undelete(first.id, { validateOnly: true }))).toBeInstanceOf(
      ServiceNameTakenError,
    );
    expect((await dir.get(first.id)).deleted_at).toEqual(expect.any(String));
  });

  it("updates with If-Match, bumping updated_at and the etag; a stale etag changes nothing", async () => {
    const { dir, clock } = await directory();
    const created = await dir.create({ name: "search", owner: "a" });
    clock.advance(5000);
    const updated = await dir.update(
      created.id,
      { owner: "b", description: "finds things", lifecycle: "production" },
      { ifMatch: `"${created.etag}"` },
    );
    expect(updated).toMatchObject({ owner: "b", description: "finds things", lifecycle: "production" });
    expect(updated.updated_at).toBe(clock.now().toISOString());
    expect(updated.created_at).toBe(created.created_at);
    expect(updated.etag).not.toBe(created.etag);
    expect(await dir.get(created.id)).toEqual(updated);

    const stale = await caught(dir.update(created.id, { owner: "c" }, { ifMatch: `"${created.etag}"` }));
    expect(stale).toBeInstanceOf(ProblemError);
    expect((stale as ProblemError).status).toBe(412);
    expect(await caught(dir.remove(created.id, { ifMatch: `"${created.etag}"` }))).toBeInstanceOf(
      ProblemError,
    );
    expect(await caught(dir.undelete(created.id, { ifMatch: '"x"' }))).toBeInstanceOf(ProblemError);
    expect(await dir.get(created.id)).toEqual(updated);
  });

  it("validate_only checks everything and changes nothing", async () => {
    const { dir } = await directory();
    const created = await dir.create({ name: "dry", owner: "a" });
    const wouldBe = await dir.update(created.id, { owner: "b" }, { validateOnly: true });
    expect(wouldBe.owner).toBe("b");
    await dir.remove(created.id, { validateOnly: true });
    const preview = await dir.create({ name: "dry-2", owner: "a" }, { validateOnly: true });
    expect(preview.name).toBe("dry-2");
    expect(await dir.get(created.id)).toEqual(created);
    expect(await dir.findByName("dry-2")).toBeUndefined();
    expect((await dir.list({ show_deleted: true })).items).toHaveLength(1);
  });

  it("soft-deletes and undeletes; deleting twice is harmless", async () => {
    const { dir, clock } = await directory();
    const created = await dir.create({ name: "gone", owner: "a" });
    clock.advance(1000);
    await dir.remove(created.id);
    const deleted = await dir.get(created.id);
    expect(deleted.deleted_at).toBe(clock.now().toISOString());
    await dir.remove(created.id);
    expect((await dir.get(created.id)).deleted_at).toBe(deleted.deleted_at);
    expect((await dir.list({})).items).toEqual([]);
    expect((await dir.list({ show_deleted: true })).items.map((s) => s.id)).toEqual([created.id]);
    expect(await dir.findByName("gone")).toBeUndefined();

    clock.advance(1000);
    const restored = await dir.undelete(created.id);
    expect(restored.deleted_at).toBeUndefined();
    expect(restored.updated_at).toBe(clock.now().toISOString());
    expect(await dir.undelete(created.id)).toEqual(restored);
    expect((await dir.list({})).items).toEqual([restored]);
  });

  it("answers unknown ids with ServiceNotFoundError", async () => {
    const { dir } = await directory();
    for (const attempt of [
      () => dir.get("svc_nope"),
      () => dir.update("svc_nope", { owner: "x" }),
      () => dir.remove("svc_nope"),
      () => dir.undelete("svc_nope"),
    ]) {
      const error = await caught(attempt());
      expect(error).toBeInstanceOf(ServiceNotFoundError);
      expect(error).toMatchObject({ kind: "not_found", code: "service_not_found" });
    }
  });

  it("refuses a write based on a revision someone else changed meanwhile", async () => {
    const { dir, store } = await directory();
    const created = await dir.create({ name: "raced", owner: "a" });
    // Another writer bumps the revision between our read and our write.
    const updates = [dir.update(created.id, { owner: "b" }), dir.update(created.id, { owner: "c" })];
    const outcomes = await Promise.allSettled(updates);
    const failures = outcomes.filter((o) => o.status === "rejected");
    for (const f of failures) expect((f as PromiseRejectedResult).reason).toBeInstanceOf(ServiceChangedError);
    const row = await store.db
      .selectFrom("services")
      .select("revision")
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.revision)).toBe(1 + outcomes.filter((o) => o.status === "fulfilled").length);
  });

  describe("version and instance rules", () => {
    const v = (fields: Partial<ServiceVersion> & Pick<ServiceVersion, "version">): ServiceVersion => ({
      status: "deprecated",
      ...fields,
    });

    const cases: Array<[string, ServiceVersion[], string, string]> = [
      [
        "sunset before deprecation",
        [v({ version: "1.0.0", deprecated_at: "2026-05-01T00:00:00Z", sunset_at: "2026-04-30T23:59:59Z" })],
        "sunset_at must not be before deprecated_at",
        "/versions/0/sunset_at",
      ],
      [
        "the same version twice",
        [v({ version: "1.0.0" }), v({ version: "2.0.0" }), v({ version: "1.0.0" })],
        "version 1.0.0 is listed twice",
        "/versions/2/version",
      ],
      [
        "an active version with a deprecation date",
        [v({ version: "1.0.0", status: "active", deprecated_at: "2026-05-01T00:00:00Z" })],
        "an active version has no deprecated_at or sunset_at",
        "/versions/0/status",
      ],
    ];

    for (const [what, versions, message, pointer] of cases) {
      it(`refuses ${what}, pointing at the field`, async () => {
        const { dir } = await directory();
        for (const attempt of [
          () => dir.create({ name: "versioned", owner: "a", versions }),
          () => dir.create({ name: "versioned", owner: "a", versions }, { validateOnly: true }),
        ]) {
          const error = await caught(attempt());
          expect(error).toBeInstanceOf(ServiceInvalidError);
          expect(error).toMatchObject({ message, details: { pointer }, kind: "invalid" });
        }
        const created = await dir.create({ name: "versioned", owner: "a" });
        expect(await caught(dir.update(created.id, { versions }))).toMatchObject({
          message,
          details: { pointer },
        });
        expect((await dir.get(created.id)).versions).toEqual([]);
      });
    }

    it("accepts sunset equal to deprecation, and a schedule on a deprecated version", async () => {
      const { dir } = await directory();
      const versions = [
        v({ version: "1.0.0", deprecated_at: "2026-05-01T00:00:00Z", sunset_at: "2026-05-01T00:00:00Z" }),
        v({
          version: "1.1.0",
          status: "sunset",
          deprecated_at: "2026-05-01T00:00:00Z",
          sunset_at: "2026-06-01T02:00:00+02:00",
        }),
        { version: "2.0.0", status: "active" as const, spec_url: "https://example.test/openapi.json" },
      ];
      expect((await dir.create({ name: "versioned", owner: "a", versions })).versions).toEqual(versions);
    });

    it("refuses the same instance twice, also when only a trailing slash differs", async () => {
      const { dir } = await directory();
      const error = await caught(
        dir.create({
          name: "twice",
          owner: "a",
          instances: [{ base_url: "http://a:1" }, { base_url: "http://b:1" }, { base_url: "http://a:1/" }],
        }),
      );
      expect(error).toMatchObject({
        message: "instance http://a:1 is listed twice",
        details: { pointer: "/instances/2/base_url" },
      });
    });

    it("refuses health targets the poller would refuse, pointing at the field, without quoting credentials", async () => {
      const { dir } = await directory();
      const cases: Array<[Parameters<Directory["create"]>[0], string, RegExp]> = [
        [
          {
            name: "a",
            owner: "o",
            health_url: "http://169.254.169.254/latest/meta-data/",
            instances: [{ base_url: "http://10.0.0.1" }],
          },
          "/health_url",
          /^the health URL points at 169\.254\.169\.254 \(a link-local or cloud metadata address\)$/,
        ],
        [
          {
            name: "a",
            owner: "o",
            instances: [{ base_url: "http://10.0.0.1" }, { base_url: "http://[fe80::1]:80" }],
          },
          "/instances/1/base_url",
          /^the instance's base_url points at fe80::1 \(a link-local/,
        ],
        [
          { name: "a", owner: "o", instances: [{ base_url: "https://ops:s3cret@10.0.0.1" }] },
          "/instances/0/base_url",
          /carries credentials \(user:password@host\)/,
        ],
        [
          {
            name: "a",
            owner: "o",
            health_url: "https://status.example/x",
            instances: [{ base_url: "https://10.0.0.1" }],
          },
          "/health_url",
          /origin https:\/\/status\.example is not the instance's \(https:\/\/10\.0\.0\.1\).*--health-allow https:\/\/status\.example$/,
        ],
        [
          { name: "a", owner: "o", health_url: "http://metadata.google.internal/x" },
          "/health_url",
          /cloud metadata host/,
        ],
      ];
      for (const [input, pointer, message] of cases) {
        const error = await caught(dir.create(input));
        expect(error, JSON.stringify(input)).toBeInstanceOf(ServiceInvalidError);
        expect((error as ServiceInvalidError).details.pointer).toBe(pointer);
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).not.toContain("s3cret");
      }
      const plain = await dir.create({
        name: "plain",
        owner: "o",
        instances: [{ base_url: "http://10.0.0.1" }],
      });
      const error = await caught(dir.update(plain.id, { health_url: "http://169.254.169.254/" }));
      expect((error as ServiceInvalidError).details.pointer).toBe("/health_url");
      // Another origin is fine once the server allows it.
      const store = await open();
      stores.push(store);
      const allowing = new Directory(
        { store, clock: new ManualClock(), cursors: new CursorCodec(randomSecret(32)) },
        { healthPolicy: { allow: ["https://status.example"] } },
      );
      const created = await allowing.create({
        name: "status",
        owner: "o",
        health_url: "https://status.example/x",
        instances: [{ base_url: "https://10.0.0.1" }],
      });
      expect(created.health_url).toBe("https://status.example/x");
    });
  });
});
