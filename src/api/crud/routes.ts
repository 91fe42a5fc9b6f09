import type { TSchema } from "typebox";
import type { Scope } from "../auth/scopes.ts";
import type { ApiApp } from "../core.ts";
import { problemResponse } from "../openapi.ts";
import type { PageQuery } from "../paging/index.ts";
import { type Entity, isValidateOnly, sendCreated, sendEntity } from "../resource.ts";
import { IdParams, NOT_MODIFIED, pageOf, softDeletePageQuery } from "../schemas.ts";
import type { IfMatchPolicy } from "./preconditions.ts";
import type { CrudService, WriteOptions } from "./service.ts";

/** The words of the generated OpenAPI operations, where a resource wants its own. */
export interface CrudTexts {
  readonly listSummary: string;
  readonly createSummary: string;
  readonly getSummary: string;
  readonly updateSummary: string;
  readonly deleteSummary: string;
  readonly undeleteSummary: string;
  /** Response descriptions. */
  readonly validated: string;
  readonly created: string;
  readonly got: string;
  readonly updated: string;
  readonly restored: string;
}

export interface CrudResource<E extends Entity, C, U> {
  /** `/api/members` */
  readonly path: string;
  /** Singular and plural for operation ids: `member`, `members` → `get_member`, `list_members`. */
  readonly one: string;
  readonly many: string;
  readonly tag: string;
  /** For the list's summary: "team members". */
  readonly what: string;
  /** For the list's summary: the fields a client can filter and sort on. */
  readonly filterable: string;
  /** The representation, and the bodies of POST and PATCH. */
  readonly schema: TSchema;
  readonly createSchema: TSchema;
  readonly updateSchema: TSchema;
  readonly service: CrudService<E, C, U>;
  /** Whether writes require `If-Match` (the service enforces it; this documents the 428). */
  readonly ifMatch?: IfMatchPolicy;
  /** The scope every write needs, when not `write` (plans of game days need `execute`). */
  readonly writeScope?: Scope;
  readonly texts?: Partial<CrudTexts>;
}

function defaultTexts(r: CrudResource<Entity, unknown, unknown>): CrudTexts {
  const one = r.one.replaceAll("_", " ");
  return {
    listSummary: `List ${r.what} (filter and sort on ${r.filterable})`,
    createSummary: `Create a ${one}`,
    getSummary: `Get one ${one} (soft-deleted ones show deleted_at)`,
    updateSummary: "Change fields; send If-Match with its ETag to avoid lost updates",
    deleteSummary: "Soft-delete (hidden from lists unless show_deleted=true; undelete restores it)",
    undeleteSummary: "Restore a soft-deleted resource",
    validated: "Valid (validate_only=true); nothing was stored",
    created: "Created",
    got: "The resource",
    updated: "The updated resource (or, with validate_only=true, what it would be)",
    restored: "The restored resource",
  };
}

/**
 * The routes of a soft-deletable collection, all alike: list with filter, sort and cursors; get
 * with ETag (304 on If-None-Match); create with 201 + Location; PATCH and DELETE with If-Match;
 * undelete; validate_only on every write. A resource's own routes (sub-resources, aliases) go
 * beside this call in its route file.
 *
 * @example
 * registerCrudRoutes(app, {
 *   path: "/api/members", one: "member", many: "members", tag: "team", what: "team members",
 *   filterable: "name, class", schema: MemberSchema, createSchema: MemberCreateSchema,
 *   updateSchema: MemberUpdateSchema, service: new Members(app.core),
 * });
 */
export function registerCrudRoutes<E extends Entity, C, U>(app: ApiApp, r: CrudResource<E, C, U>): void {
  const t = { ...defaultTexts(r as CrudResource<Entity, unknown, unknown>), ...r.texts };
  const tags = [r.tag];
  const entity = (description: string) => ({ ...r.schema, description });
  const Page = pageOf(r.schema, `${(r.schema as { title?: string }).title ?? r.one}Page`);
  // Documented here because only the resource knows; the core documents 412 on every write.
  const required =
    r.ifMatch === "required"
      ? { 428: problemResponse("If-Match is required: GET the resource and send its ETag") }
      : {};
  const writeOptions = (request: { headers: Record<string, unknown> }): WriteOptions => ({
    ifMatch: request.headers["if-match"] as string | undefined,
    validateOnly: isValidateOnly(request as Parameters<typeof isValidateOnly>[0]),
  });
  const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;
  const writes = r.writeScope ? { config: { scope: r.writeScope } } : {};

  app.get(
    r.path,
    {
      schema: {
        operationId: `list_${r.many}`,
        tags,
        summary: t.listSummary,
        querystring: softDeletePageQuery(),
        response: { 200: Page },
      },
    },
    async (request) => r.service.list(request.query as PageQuery),
  );

  app.post(
    r.path,
    {
      ...writes,
      schema: {
        operationId: `create_${r.one}`,
        tags,
        summary: t.createSummary,
        body: r.createSchema,
        response: { 200: entity(t.validated), 201: entity(t.created) },
      },
    },
    async (request, reply) => {
      if (isValidateOnly(request)) return r.service.create(request.body as C, { validateOnly: true });
      const created = await r.service.create(request.body as C);
      return sendCreated(request, reply, created, `${r.path}/${created.id}`);
    },
  );

  app.get(
    `${r.path}/:id`,
    {
      schema: {
        operationId: `get_${r.one}`,
        tags,
        summary: t.getSummary,
        params: IdParams,
        response: { 200: entity(t.got), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await r.service.get(idOf(request))),
  );

  app.patch(
    `${r.path}/:id`,
    {
      ...writes,
      schema: {
        operationId: `update_${r.one}`,
        tags,
        summary: t.updateSummary,
        params: IdParams,
        body: r.updateSchema,
        response: { 200: entity(t.updated), ...required },
      },
    },
    async (request, reply) => {
      const updated = await r.service.update(idOf(request), request.body as U, writeOptions(request));
      return sendEntity(request, reply, updated);
    },
  );

  app.delete(
    `${r.path}/:id`,
    {
      ...writes,
      schema: {
        operationId: `delete_${r.one}`,
        tags,
        summary: t.deleteSummary,
        params: IdParams,
        response: { 204: { description: "Deleted", type: "null" }, ...required },
      },
    },
    async (request, reply) => {
      await r.service.remove(idOf(request), writeOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${r.path}/:id/undelete`,
    {
      ...writes,
      schema: {
        operationId: `undelete_${r.one}`,
        tags,
        summary: t.undeleteSummary,
        params: IdParams,
        response: { 200: entity(t.restored), ...required },
      },
    },
    async (request, reply) => {
      const restoredEntity = await r.service.undelete(idOf(request), writeOptions(request));
      return sendEntity(request, reply, restoredEntity);
    },
  );
}
