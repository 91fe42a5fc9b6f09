import type { Page, PageQuery } from "../../api/index.ts";
import { type Member, type MemberCreate, TeamResourceNotFoundError } from "../../gamedays/index.ts";
import { withTeam } from "../commands/team-common.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import { RemoteProblemError } from "../errors.ts";
import { apiClient, call, type RemoteOptions } from "../remote/index.ts";

/**
 * What `team add`, `list` and `remove` need: the Members of this machine's store (the class the
 * routes use), or a server's /api/members through the typed client. The other `team` commands
 * (balance, competence, interviews) work on this machine's store only.
 */
export interface MembersBackend {
  list(query: PageQuery): Promise<Page<Member>>;
  create(input: MemberCreate): Promise<Member>;
  /** By id (`mem_…`) or live name. */
  find(ref: string): Promise<Member>;
  get(id: string): Promise<Member>;
  remove(id: string): Promise<void>;
}

/** The store of this machine, or the server given by --server/OPSDOJO_URL. */
export async function withMembers<T>(
  session: Session,
  globals: GlobalOptions,
  command: string,
  task: (members: MembersBackend) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(globals, session.env);
  if (target.kind !== "remote") return withTeam(session, globals, command, (ctx) => task(ctx.members));
  return task(remoteMembers({ url: target.url, token: target.token, warn: (m) => session.warnings.push(m) }));
}

/** A server's members, with the local store's errors for what does not exist. */
export function remoteMembers(options: RemoteOptions): MembersBackend {
  const api = apiClient(options);
  const get = async (id: string): Promise<Member> => {
    try {
      return (await call(options.url, api.GET("/api/members/{id}", { params: { path: { id } } }))) as Member;
    } catch (error) {
      if (error instanceof RemoteProblemError && error.status === 404)
        throw new TeamResourceNotFoundError("member", id);
      throw error;
    }
  };
  const list = async (query: PageQuery): Promise<Page<Member>> => {
    const q = {
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(query.filter !== undefined ? { filter: query.filter } : {}),
      ...(query.sort !== undefined ? { sort: query.sort } : {}),
      ...(query.show_deleted !== undefined ? { show_deleted: query.show_deleted } : {}),
    };
    const page = await call(options.url, api.GET("/api/members", { params: { query: q } }));
    const items = page.items as Member[];
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  };
  return {
    list,
    get,
    async create(input) {
      return (await call(options.url, api.POST("/api/members", { body: input }))) as Member;
    },
    async find(ref) {
      if (ref.startsWith("mem_")) return get(ref);
      const page = await list({ filter: `name = "${ref.replaceAll('"', '\\"')}"`, limit: 1 });
      const found = page.items[0];
      if (!found) throw new TeamResourceNotFoundError("member", `"${ref}"`);
      return found;
    },
    async remove(id) {
      await call(options.url, api.DELETE("/api/members/{id}", { params: { path: { id } } }));
    },
  };
}
