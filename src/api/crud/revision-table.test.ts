import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock, OpsdojoError } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { computeEtag } from "../etag.ts";
import { CursorCodec } from "../paging/index.ts";
import { ProblemError } from "../problem-error.ts";
import type { IfMatchPolicy } from "./preconditions.ts";
import { RevisionTable } from "./revision-table.ts";
import { writeAtRevision } from "./write-at-revision.ts";

/** The kit is table-agnostic; team_members stands in for any table with the five columns. */
interface Row {
  id: string;
  name: string;
  display_name: string;
  class: string;
  skills: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: number;
}

function toEntity(row: Row) {
  const body = {
    id: row.id,
    name: row.name,
    display_name: row.display_name,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}

class Missing extends OpsdojoError {
  constructor(id: string) {
    super("test_missing", `${id} does not exist`, { kind: "not_found" });
  }
}
class Changed extends OpsdojoError {
  constructor(id: string) {
    super("test_changed", `${id} changed`, { kind: "changed" });
  }
}
class Taken extends OpsdojoError {
  constructor(name: string) {
    super("test_taken", `${name} is taken`, { kind: "conflict" });
  }
}

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

describe.each([
  ["sqlite", async () => openStore({ home: await tempDir() })],
  ["postgres", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("RevisionTable on %s", (_dialect, open) => {
  async function setup(ifMatch: IfMatchPolicy = "optional") {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-05-01T10:00:00.000Z");
    const core = { store, clock, cursors: new CursorCodec(Buffer.alloc(32, 7).toString("base64url")) };
    const table = new RevisionTable<Row, ReturnType<typeof toEntity>>(core, {
      table: "team_members",
      fields: { name: { type: "string", sortable: true } },
      toEntity,
      notFound: (id) => new Missing(id),
      changed: (id) => new Changed(id),
      onUnique: (row) => new Taken(row.name),
      ifMatch,
    });
    let n = 0;
    const add = (name: string) => {
      n += 1;
      const now = clock.now().toISOString();
      return table.insert({
        id: `mem_${String(n).padStart(3, "0")}`,
        name,
        display_name: name,
        class: "developer",
        skills: "[]",
        created_at: now,
        updated_at: now,
        deleted_at: null,
        revision: 1,
      });
    };
    return { store, clock, table, add };
  }

  it("lists by keyset: following next_cursor returns every live row once, deleted ones only when asked", async () => {
    const { table, add } = await setup();
    for (const name of ["eve", "bob", "dan", "amy", "cat"]) await add(name);
    await table.remove("mem_003");
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.list({ limit: 2, sort: "name", ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["amy", "bob", "cat", "eve"]);
    const all = await table.list({ show_deleted: true, sort: "name" });
    expect(all.items.map((e) => e.name)).toEqual(["amy", "bob", "cat", "dan", "eve"]);
  });

  it("writes under If-Match: a stale ETag is 412 and changes nothing; the current one bumps the revision", async () => {
    const { table, add, clock } = await setup();
    const created = await add("amy");
    clock.advance(1000);
    const stale = '"not-the-etag"';
    const refused = await table
      .update("mem_001", () => ({ display_name: "Amy" }), { ifMatch: stale })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).status).toBe(412);
    expect((await table.get("mem_001")).display_name).toBe("amy");

    const updated = await table.update("mem_001", () => ({ display_name: "Amy" }), {
      ifMatch: `"${created.etag}"`,
    });
    expect(updated.display_name).toBe("Amy");
    expect(updated.etag).not.toBe(created.etag);
    expect((await table.row("mem_001")).revision).toBe(2);
  });

  it("refuses a write without If-Match with 428 where the resource requires it", async () => {
    const { table, add } = await setup("required");
    const created = await add("amy");
    for (const write of [
      () => table.update("mem_001", () => ({ display_name: "Amy" })),
      () => table.remove("mem_001"),
      () => table.undelete("mem_001"),
    ]) {
      const refused = await write().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ProblemError);
      expect((refused as ProblemError).status).toBe(428);
      expect((refused as ProblemError).slug).toBe("precondition-required");
      expect((refused as ProblemError).message).toContain(created.etag);
    }
    expect(await table.get("mem_001")).toEqual(created);
    await table.remove("mem_001", { ifMatch: `"${created.etag}"` });
    expect((await table.get("mem_001")).deleted_at).toBeDefined();
  });

  it("soft-deletes and undeletes: the row stays readable, a second delete changes nothing", async () => {
    const { table, add, clock } = await setup();
    await add("amy");
    clock.advance(5000);
    await table.remove("mem_001");
    const deleted = await table.get("mem_001");
    expect(deleted.deleted_at).toBe("2026-05-01T10:00:05.000Z");
    await table.remove("mem_001");
    expect((await table.row("mem_001")).revision).toBe(2);
    expect((await table.all()).length).toBe(0);
    const back = await table.undelete("mem_001");
    expect(back.deleted_at).toBeUndefined();
    expect((await table.all()).map((e) => e.id)).toEqual(["mem_001"]);
  });

  it("changes nothing with validate_only, and names the row a missing id is", async () => {
    const { table, add } = await setup();
    const created = await add("amy");
    const would = await table.update("mem_001", () => ({ display_name: "Amy" }), { validateOnly: true });
    expect(would.display_name).toBe("Amy");
    await table.remove("mem_001", { validateOnly: true });
    expect(await table.get("mem_001")).toEqual(created);
    await expect(table.get("mem_404")).rejects.toBeInstanceOf(Missing);
  });

  it("turns a unique violation into the unit's error, on insert and on undelete", async () => {
    const { table, add } = await setup();
    await add("amy");
    await expect(add("amy")).rejects.toBeInstanceOf(Taken);
    await table.remove("mem_001");
    await add("amy");
    await expect(table.undelete("mem_001")).rejects.toBeInstanceOf(Taken);
  });

  it("loses a write to another writer that got in first: the unit's changed error, nothing overwritten", async () => {
    const { store, table, add } = await setup();
    await add("amy");
    const read = await table.row("mem_001");
    await table.update("mem_001", () => ({ display_name: "by the other writer" }));
    const lost = writeAtRevision(store.db, {
      table: "team_members",
      id: "mem_001",
      expected: read.revision,
      values: { display_name: "by us", revision: read.revision + 1 },
      changed: () => new Changed("mem_001"),
    });
    await expect(lost).rejects.toBeInstanceOf(Changed);
    expect((await table.get("mem_001")).display_name).toBe("by the other writer");
  });
});
