import { Type } from "typebox";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  notFound,
  pageOf,
  registerCrudRoutes,
  sendEntity,
} from "../api/index.ts";
import type { Directory } from "./directory.ts";
import { ConformanceResultSchema, ServiceCreateSchema, ServiceSchema, ServiceUpdateSchema } from "./model.ts";

const tags = ["services"];
const entity = (description: string) => ({ description, ...ServiceSchema });

/** `/api/services`: the service directory on the API core. */
export function registerServicesRoutes(app: ApiApp, directory: Directory): void {
  registerCrudRoutes(app, {
    path: "/api/services",
    one: "service",
    many: "services",
    tag: "services",
    what: "registered services",
    filterable: "name, owner, lifecycle, created_at, updated_at",
    schema: ServiceSchema,
    createSchema: ServiceCreateSchema,
    updateSchema: ServiceUpdateSchema,
    service: directory,
    // The directory's words since its first release; the operations are those of every resource.
    texts: {
      createSummary: "Register a service",
      getSummary: "Get one service entry (soft-deleted entries show deleted_at)",
      updateSummary: "Change fields of an entry; send If-Match with its ETag to avoid lost updates",
      deleteSummary:
        "Soft-delete an entry (hidden from lists unless show_deleted=true; undelete restores it)",
      undeleteSummary: "Restore a soft-deleted entry",
      created: "Registered",
      got: "The entry",
      updated: "The updated entry (or, with validate_only=true, what it would be)",
      restored: "The restored entry",
    },
  });

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
        response: { 200: pageOf(ServiceSchema, "ServicePage") },
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
