import type { Page, PageQuery } from "../../api/index.ts";
import { type Plan, type PlanCreate, Plans } from "../../gamedays/index.ts";
import { withTeam } from "../commands/team-common.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import { apiClient, call, type RemoteOptions } from "../remote/index.ts";

/** What `gameday plan --at`, `plans` and `cancel-plan` need, on this machine's store or a server. */
export interface PlansBackend {
  create(input: PlanCreate): Promise<Plan>;
  list(query: PageQuery): Promise<Page<Plan>>;
  /** Read the plan, then cancel it under If-Match with the ETag just read. */
  cancel(id: string): Promise<Plan>;
}

/** The store of this machine, or the server given by --server/OPSDOJO_URL. */
export function withPlans<T>(
  session: Session,
  globals: GlobalOptions,
  command: string,
  task: (plans: PlansBackend) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(globals, session.env);
  if (target.kind === "remote")
    return task(remotePlans({ url: target.url, token: target.token, warn: (m) => session.warnings.push(m) }));
  return withTeam(session, globals, command, (ctx) => {
    const plans = new Plans(ctx.core);
    return task({
      create: (input) => plans.create(input),
      list: (query) => plans.list(query),
      cancel: async (id) => plans.cancel(id, { ifMatch: `"${(await plans.get(id)).etag}"` }),
    });
  });
}

/** A server's `/api/gameday-plans`. */
export function remotePlans(options: RemoteOptions): PlansBackend {
  const api = apiClient(options);
  const at = options.url;
  const path = (id: string) => ({ path: { id } });
  return {
    create: async (input) => (await call(at, api.POST("/api/gameday-plans", { body: input }))) as Plan,
    list: async (query) => {
      const q = {
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(query.filter !== undefined ? { filter: query.filter } : {}),
        ...(query.sort !== undefined ? { sort: query.sort } : {}),
      };
      const page = await call(at, api.GET("/api/gameday-plans", { params: { query: q } }));
      const items = page.items as Plan[];
      return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
    },
    cancel: async (id) => {
      const current = (await call(at, api.GET("/api/gameday-plans/{id}", { params: path(id) }))) as Plan;
      return (await call(
        at,
        api.PATCH("/api/gameday-plans/{id}", {
          params: path(id),
          headers: { "if-match": `"${current.etag}"` },
          body: { status: "cancelled" },
        }),
      )) as Plan;
    },
  };
}
