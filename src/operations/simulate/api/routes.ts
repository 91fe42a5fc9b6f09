import {
  type ApiApp,
  IdParams,
  NOT_MODIFIED,
  ProblemError,
  sendCreated,
  sendEntity,
} from "../../../api/index.ts";
import { SimulationsBusyError } from "../workers/errors.ts";
import { SimulationCreateSchema, SimulationSchema } from "./schemas.ts";
import type { SimulationsApi } from "./simulations.ts";

const sim = (description: string) => ({ description, ...SimulationSchema });

/** `/api/simulations`: simulate a registered operation (docs/operations.md "Simulate"). */
export function registerSimulationRoutes(app: ApiApp, simulations: SimulationsApi): void {
  app.post(
    "/api/simulations",
    {
      schema: {
        operationId: "start_simulation",
        tags: ["simulations"],
        summary:
          "Simulate a registered operation from its journal (nothing is run): 201 at once, running; GET its Location until it is succeeded (with the report) or failed",
        body: SimulationCreateSchema,
        response: { 201: sim("Started; computed on a worker thread") },
      },
    },
    async (request, reply) => {
      try {
        const created = await simulations.start(request.body);
        return sendCreated(request, reply, created, `/api/simulations/${created.id}`);
      } catch (error) {
        if (error instanceof SimulationsBusyError)
          throw new ProblemError("unavailable", error.message, {
            headers: { "retry-after": String(error.retryAfterSeconds) },
          });
        throw error;
      }
    },
  );

  app.get(
    "/api/simulations/:id",
    {
      schema: {
        operationId: "get_simulation",
        tags: ["simulations"],
        summary: "A simulation (`sim_…`): running, or its report once succeeded",
        params: IdParams,
        response: { 200: sim("The simulation"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await simulations.get(request.params.id)),
  );
}
