import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  pageQuery,
  sendCreated,
  sendEntity,
} from "../../api/index.ts";
import type { OperationsApi } from "./operations-api.ts";
import { withRequestErrors } from "./problems.ts";
import {
  OperationCreateSchema,
  OperationPage,
  OperationSchema,
  RunModelQuery,
  RunModelSchema,
} from "./schemas.ts";

const op = (description: string) => ({ description, ...OperationSchema });

/** `/api/operations`: operation files registered by name, in numbered versions. */
export function registerOperationsResourceRoutes(app: ApiApp, operations: OperationsApi): void {
  app.get(
    "/api/operations",
    {
      schema: {
        operationId: "list_operations",
        tags: ["operations"],
        summary:
          "List registered operations, each at its latest version (filter and sort on name, version, created_at)",
        querystring: pageQuery(),
        response: { 200: OperationPage },
      },
    },
    async (request) => operations.list(request.query),
  );

  app.post(
    "/api/operations",
    {
      // What it registers or starts is executed by the server.
      config: { scope: "execute" },
      schema: {
        operationId: "register_operation",
        tags: ["operations"],
        summary: "Register an operation file (operation/v1); the same text again is the same version",
        body: OperationCreateSchema,
        response: {
          200: op("Already registered with this exact text (or, with validate_only=true, valid)"),
          201: op("Registered as a new version"),
        },
      },
    },
    async (request, reply) => {
      const { operation, created } = await withRequestErrors(() =>
        operations.register(request.body, { validateOnly: isValidateOnly(request) }),
      );
      if (created) return sendCreated(request, reply, operation, `/api/operations/${operation.id}`);
      return sendEntity(request, reply, operation);
    },
  );

  app.get(
    "/api/operations/:id",
    {
      schema: {
        operationId: "get_operation",
        tags: ["operations"],
        summary: "One operation version by id (`op_…`), or the latest version of a name",
        params: IdParams,
        response: { 200: op("The operation version"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await operations.get(request.params.id)),
  );

  app.get(
    "/api/operations/:id/versions",
    {
      schema: {
        operationId: "list_operation_versions",
        tags: ["operations"],
        summary: "Every version of an operation (by the id of any version, or its name), oldest first",
        params: IdParams,
        querystring: pageQuery(),
        response: { 200: OperationPage },
      },
    },
    async (request) => operations.versions(request.params.id, request.query),
  );

  app.get(
    "/api/operations/:id/run-model",
    {
      schema: {
        operationId: "get_operation_run_model",
        tags: ["operations"],
        summary:
          "The operation's completed runs mined into a process model: activities are step outcomes (deploy:done, deploy:retried), cases are runs per target",
        params: IdParams,
        querystring: RunModelQuery,
        response: { 200: { description: "The model", ...RunModelSchema } },
      },
    },
    async (request) => operations.runModel(request.params.id, request.query.format),
  );
}
