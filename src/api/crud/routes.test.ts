import { Type } from "typebox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock, OpsdojoError } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { type ApiApp, createApiCore } from "../core.ts";
import { computeEtag } from "../etag.ts";
import type { PageQuery } from "../paging/index.ts";
import { commonAttributes } from "../schemas.ts";
import type { IfMatchPolicy } from "./preconditions.ts";
import { RevisionTable } from "./revision-table.ts";
import { registerCrudRoutes } from "./routes.ts";
import type { WriteOptions } from "./service.ts";

/** A small resource built only from the kit, over the team_members table. */
const NoteSchema = Type.Object(
  { ...commonAttributes, name: Type.String(), deleted_at: Type.Optional(Type.String()) },
  { additionalProperties: false, title: "Note" },
);
const NoteCreate = Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const NoteUpdate = NoteCreate;
type Note = { id: string; name: string; created_at: string; updated_at: string; etag: string };
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

class NoteMissing extends OpsdojoError {
  constructor(id: string) {
    super("note_missing", `note ${id} does not exist`, { kind: "not_found" });
  }
}

function notes(app: ApiApp, ifMatch: IfMatchPolicy) {
  let n = 0;
  const table = new RevisionTable<Row, Note>(app.core, {
    table: "team_members",
    fields: { name: { type: "string", sortable: true } },
    toEntity: (row) => {
      const body = {
        id: row.id,
        name: row.name,
        created_at: row.created_at,
        updated_at: row.updated_at,
        ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
      };
      return { ...body, etag: computeEtag(body) };
    },
    notFound: (id) => new NoteMissing(id),
    changed: (id) => new NoteMissing(id),
    ifMatch,
  });
  return {
    create: (input: { name: string }, options?: WriteOptions) => {
      n += 1;
      const now = table.now();
      return table.insert(
        {
          id: `${ifMatch}_${n}`,
          name: `${ifMatch}-${input.name}`,
          display_name: input.name,
          class: "developer",
          skills: "[]",
          created_at: now,
          updated_at: now,
          deleted_at: null,
          revision: 1,
        },
        options,
      );
    },
    list: (query: PageQuery) => table.list(query),
    get: (id: string) => table.get(id),
    update: (id: string, patch: { name: string }, options?: WriteOptions) =>
      table.update(id, () => ({ name: `${ifMatch}-${patch.name}` }), options),
    remove: (id: string, options?: WriteOptions) => table.remove(id, options),
    undelete: (id: string, options?: WriteOptions) => table.undelete(id, options),
  };
}

let store: Store;
let app: ApiApp;
let auth: Record<string, string>;
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({
    store,
    clock: new ManualClock("2026-05-01T10:00:00.000Z"),
    rateLimit: { quota: 10_000, windowSeconds: 60 },
  });
  for (const policy of ["optional", "required"] as const)
    registerCrudRoutes(app, {
      path: `/api/${policy}-notes`,
      one: `${policy}_note`,
      many: `${policy}_notes`,
      tag: "notes",
      what: "notes",
      filterable: "name",
      schema: NoteSchema,
      createSchema: NoteCreate,
      updateSchema: NoteUpdate,
      service: notes(app, policy),
      ifMatch: policy,
    });
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

describe("registerCrudRoutes", () => {
  it("serves create (201 + Location), get with ETag and 304, patch, delete, list and undelete", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/api/optional-notes",
      headers: auth,
      payload: { name: "a" },
    });
    expect(created.statusCode).toBe(201);
    const note = created.json() as Note;
    expect(created.headers.location).toMatch(new RegExp(`/api/optional-notes/${note.id}$`));
    expect(created.headers.etag).toBe(`"${note.etag}"`);

    const got = await app.inject({ url: `/api/optional-notes/${note.id}`, headers: auth });
    expect(got.json()).toEqual(note);
    const again = await app.inject({
      url: `/api/optional-notes/${note.id}`,
      headers: { ...auth, "if-none-match": `"${note.etag}"` },
    });
    expect(again.statusCode).toBe(304);

    const stale = await app.inject({
      method: "PATCH",
      url: `/api/optional-notes/${note.id}`,
      headers: { ...auth, "if-match": '"old"' },
      payload: { name: "b" },
    });
    expect(stale.statusCode).toBe(412);
    const patched = await app.inject({
      method: "PATCH",
      url: `/api/optional-notes/${note.id}`,
      headers: auth,
      payload: { name: "b" },
    });
    expect(patched.json()).toMatchObject({ name: "optional-b" });

    const deleted = await app.inject({
      method: "DELETE",
      url: `/api/optional-notes/${note.id}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    const live = await app.inject({ url: "/api/optional-notes", headers: auth });
    expect(live.json()).toEqual({ items: [] });
    const all = await app.inject({ url: "/api/optional-notes?show_deleted=true", headers: auth });
    expect((all.json() as { items: Note[] }).items.map((i) => i.id)).toEqual([note.id]);

    const back = await app.inject({
      method: "POST",
      url: `/api/optional-notes/${note.id}/undelete`,
      headers: auth,
    });
    expect(back.statusCode).toBe(200);
    expect(back.json()).not.toHaveProperty("deleted_at");
  });

  it("answers 428 with a problem to a write without If-Match where it is required, and changes nothing", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/api/required-notes",
      headers: auth,
      payload: { name: "a" },
    });
    const note = created.json() as Note;
    const refused = await app.inject({
      method: "PATCH",
      url: `/api/required-notes/${note.id}`,
      headers: auth,
      payload: { name: "b" },
    });
    expect(refused.statusCode).toBe(428);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect(refused.json()).toMatchObject({
      status: 428,
      type: expect.stringMatching(/precondition-required$/),
    });
    expect(refused.json().detail).toContain(`"${note.etag}"`);
    const unchanged = await app.inject({ url: `/api/required-notes/${note.id}`, headers: auth });
    expect(unchanged.json()).toEqual(note);

    const accepted = await app.inject({
      method: "PATCH",
      url: `/api/required-notes/${note.id}`,
      headers: { ...auth, "if-match": `"${note.etag}"` },
      payload: { name: "b" },
    });
    expect(accepted.statusCode).toBe(200);
  });

  it("documents each operation with its id, and the 428 only where If-Match is required", async () => {
    const doc = (await app.inject({ url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const ops = (path: string) => Object.values(doc.paths[path] ?? {}).map((o) => o.operationId);
    expect(ops("/api/optional-notes").sort()).toEqual(["create_optional_note", "list_optional_notes"]);
    expect(ops("/api/optional-notes/{id}").sort()).toEqual([
      "delete_optional_note",
      "get_optional_note",
      "update_optional_note",
    ]);
    expect(ops("/api/optional-notes/{id}/undelete")).toEqual(["undelete_optional_note"]);
    expect(doc.paths["/api/required-notes/{id}"]?.patch?.responses).toHaveProperty("428");
    expect(doc.paths["/api/optional-notes/{id}"]?.patch?.responses).not.toHaveProperty("428");
    expect(doc.paths["/api/optional-notes/{id}"]?.patch?.responses).toHaveProperty("412");
  });
});
