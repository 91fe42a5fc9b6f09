import { Type } from "typebox";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  notFound,
  pageOf,
  sendCreated,
  sendEntity,
  softDeletePageQuery,
} from "../api/index.ts";
import type { Directory } from "./directory.ts";
import { ConformanceResultSchema, ServiceCreateSchema, ServiceSchema, ServiceUpdateSchema } from "./model.ts";

const tags = ["services"];
const ServicePage = pageOf(ServiceSchema, "ServicePage");
const entity = (description: string) => ({ description, ...ServiceSchema });

/** `/api/services`: the service directory on the API core. */
export function registerDirectoryRoutes(app: ApiApp, directory: Directory): void {
  app.get(
    "/api/services",
    {
      schema: {
        operationId: "list_services",
        tags,
        summary:
          "List registered services (filter and sort on name, owner, lifecycle, created_at, updated_at)",
        querystring: softDeletePageQuery(),
        response: { 200: ServicePage },
      },
    },
    async (request) => directory.list(request.query),
  );

  app.post(
    "/api/services",
    {
      schema: {
        operationId: "create_service",
        tags,
        summary: "Register a service",
        body: ServiceCreateSchema,
        response: {
          200: entity("Valid (validate_only=true); nothing was stored"),
          201: entity("Registered"),
        },
      },
    },
    async (request, reply) => {
      if (isValidateOnly(request)) return directory.create(request.body, { validateOnly: true });
      const created = await directory.create(request.body);
      return sendCreated(request, reply, created, `/api/services/${created.id}`);
    },
  );

  app.get(
    "/api/services/:id",
    {
      schema: {
        operationId: "get_service",
        tags,
        summary: "Get one service entry (soft-deleted entries show deleted_at)",
        params: IdParams,
        response: { 200: entity("The entry"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await directory.get(request.params.id)),
  );

  app.patch(
    "/api/services/:id",
    {
      schema: {
        operationId: "update_service",
        tags,
        summary: "Change fields of an entry; send If-Match with its ETag to avoid lost updates",
        params: IdParams,
        body: ServiceUpdateSchema,
        response: { 200: entity("The updated entry (or, with validate_only=true, what it would be)") },
      },
    },
    async (request, reply) => {
      const updated = await directory.update(request.params.id, request.body, {
        ifMatch: request.headers["if-match"],
        validateOnly: isValidateOnly(request),
      });
      return sendEntity(request, reply, updated);
    },
  );

  app.delete(
    "/api/services/:id",
    {
      schema: {
        operationId: "delete_service",
        tags,
        summary: "Soft-delete an entry (hidden from lists unless show_deleted=true; undelete restores it)",
        params: IdParams,
        response: { 204: { description: "Deleted", type: "null" } },
      },
    },
    async (request, reply) => {
      await directory.remove(request.params.id, {
        ifMatch: request.headers["if-match"],
        validateOnly: isValidateOnly(request),
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/services/:id/undelete",
    {
      schema: {
        operationId: "undelete_service",
        tags,
        summary: "Restore a soft-deleted entry",
        params: IdParams,
        response: { 200: entity("The restored entry") },
      },
    },
    async (request, reply) => {
      const restored = await directory.undelete(request.params.id, {
        ifMatch: request.headers["if-match"],
        validateOnly: isValidateOnly(request),
      });
      return sendEntity(request, reply, restored);
    },
  );

  app.put(
    "/api/services/:id/conformance",
    {
      schema: {
        operationId: "put_service_conformance",
        tags,
        summary: "Store the latest conformance result of the entry's instances (opsdojo services check)",
        params: IdParams,
        body: ConformanceResultSchema,
        response: { 200: entity("The entry with its conformance result") },
      },
    },
    async (request, reply) => {
      const updated = await directory.recordConformance(request.params.id, request.body, {
        ifMatch: request.headers["if-match"],
        validateOnly: isValidateOnly(request),
      });
      return sendEntity(request, reply, updated);
    },
  );

  // Kept for clients of the first release; the filter `name = "…"` on the collection replaces it.
  app.get(
    "/api/services/by-name/:name",
    {
      schema: {
        operationId: "get_service_by_name",
        tags,
        summary: 'Deprecated: use GET /api/services?filter=name="NAME"',
        params: Type.Object({ name: Type.String({ maxLength: 63 }) }, { additionalProperties: false }),
        response: { 200: entity("The live entry with this name"), 304: NOT_MODIFIED },
      },
      config: {
        deprecation: {
          deprecatedAt: new Date("2026-10-01T00:00:00Z"),
          sunsetAt: new Date("2027-10-01T00:00:00Z"),
          successor: "/api/services",
        },
      },
    },
    async (request, reply) => {
      const found = await directory.findByName(request.params.name);
      if (!found) throw notFound(`service "${request.params.name}"`);
      return sendEntity(request, reply, found);
    },
  );

  // The 0.x name of the collection; retired, answers 410 with the successor.
  app.get(
    "/api/service-entries",
    {
      schema: {
        operationId: "list_service_entries",
        tags,
        summary: "Retired: use GET /api/services",
        response: { 200: ServicePage },
      },
      config: {
        deprecation: {
          deprecatedAt: new Date("2026-03-01T00:00:00Z"),
          sunsetAt: new Date("2026-09-01T00:00:00Z"),
          successor: "/api/services",
        },
      },
    },
    async () => directory.list({}),
  );
}
