import type { TSchema } from "typebox";
import {
  type ApiApp,
  type Entity,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  type Page,
  type PageQuery,
  pageOf,
  sendCreated,
  sendEntity,
  softDeletePageQuery,
} from "../../api/index.ts";
import type { WriteOptions } from "./resource-table.ts";

/** What a soft-deletable collection offers its routes. */
export interface CrudService<E extends Entity, C, U> {
  create(input: C, options?: WriteOptions): Promise<E>;
  list(query: PageQuery): Promise<Page<E>>;
  get(id: string): Promise<E>;
  update(id: string, patch: U, options?: WriteOptions): Promise<E>;
  remove(id: string, options?: WriteOptions): Promise<void>;
  undelete(id: string, options?: WriteOptions): Promise<E>;
}

export interface CrudRoutes<E extends Entity, C, U> {
  /** `/api/members` */
  readonly path: string;
  /** Singular and plural for operation ids: `member`, `members`. */
  readonly one: string;
  readonly many: string;
  readonly tag: string;
  readonly what: string;
  readonly filterable: string;
  readonly schema: TSchema;
  readonly createSchema: TSchema;
  readonly updateSchema: TSchema;
  readonly service: CrudService<E, C, U>;
}

/**
 * A soft-deletable collection on the API core, the way `/api/services` is: list with filter, sort
 * and cursors; get with ETag; create with 201 + Location; PATCH and DELETE with If-Match;
 * undelete; validate_only on every write.
 */
export function registerCrudRoutes<E extends Entity, C, U>(app: ApiApp, r: CrudRoutes<E, C, U>): void {
  const tags = [r.tag];
  const entity = (description: string) => ({ ...r.schema, description });
  const Page = pageOf(r.schema, `${(r.schema as { title?: string }).title ?? r.one}Page`);
  const writeOptions = (request: { headers: Record<string, unknown> }, validateOnly: boolean) => ({
    ifMatch: request.headers["if-match"] as string | undefined,
    validateOnly,
  });

  app.get(
    r.path,
    {
      schema: {
        operationId: `list_${r.many}`,
        tags,
        summary: `List ${r.what} (filter and sort on ${r.filterable})`,
        querystring: softDeletePageQuery(),
        response: { 200: Page },
      },
    },
    async (request) => r.service.list(request.query as PageQuery),
  );

  app.post(
    r.path,
    {
      schema: {
        operationId: `create_${r.one}`,
        tags,
        summary: `Create a ${r.one.replaceAll("_", " ")}`,
        body: r.createSchema,
        response: {
          200: entity("Valid (validate_only=true); nothing was stored"),
          201: entity("Created"),
        },
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
        summary: `Get one ${r.one.replaceAll("_", " ")} (soft-deleted ones show deleted_at)`,
        params: IdParams,
        response: { 200: entity("The resource"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) =>
      sendEntity(request, reply, await r.service.get((request.params as { id: string }).id)),
  );

  app.patch(
    `${r.path}/:id`,
    {
      schema: {
        operationId: `update_${r.one}`,
        tags,
        summary: "Change fields; send If-Match with its ETag to avoid lost updates",
        params: IdParams,
        body: r.updateSchema,
        response: { 200: entity("The updated resource (or, with validate_only=true, what it would be)") },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const updated = await r.service.update(
        id,
        request.body as U,
        writeOptions(request, isValidateOnly(request)),
      );
      return sendEntity(request, reply, updated);
    },
  );

  app.delete(
    `${r.path}/:id`,
    {
      schema: {
        operationId: `delete_${r.one}`,
        tags,
        summary: "Soft-delete (hidden from lists unless show_deleted=true; undelete restores it)",
        params: IdParams,
        response: { 204: { description: "Deleted", type: "null" } },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await r.service.remove(id, writeOptions(request, isValidateOnly(request)));
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${r.path}/:id/undelete`,
    {
      schema: {
        operationId: `undelete_${r.one}`,
        tags,
        summary: "Restore a soft-deleted resource",
        params: IdParams,
        response: { 200: entity("The restored resource") },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const restored = await r.service.undelete(id, writeOptions(request, isValidateOnly(request)));
      return sendEntity(request, reply, restored);
    },
  );
}
