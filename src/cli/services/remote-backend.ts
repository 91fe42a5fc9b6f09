import type { PageQuery } from "../../api/index.ts";
import type { OpsdojoClient } from "../../client/index.ts";
import { type HistoryQuery, type Service, ServiceNotFoundError } from "../../directory/index.ts";
import { apiClient, call, type Outcome, type RemoteOptions } from "../remote/index.ts";
import { parseServiceRef, type ServicesBackend } from "./backend.ts";

/** The directory of a server, through the typed client (and so its retries and version pinning). */
export function remoteServices(options: RemoteOptions): ServicesBackend {
  return new RemoteServices(apiClient(options), options.url);
}

class RemoteServices implements ServicesBackend {
  readonly #api: OpsdojoClient;
  readonly #url: string;
  constructor(api: OpsdojoClient, url: string) {
    this.#api = api;
    this.#url = url;
  }

  async list(query: PageQuery) {
    const q = {
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(query.filter !== undefined ? { filter: query.filter } : {}),
      ...(query.sort !== undefined ? { sort: query.sort } : {}),
      ...(query.show_deleted !== undefined ? { show_deleted: query.show_deleted } : {}),
    };
    const page = await this.#call(this.#api.GET("/api/services", { params: { query: q } }));
    return page.next_cursor
      ? { items: page.items as Service[], next_cursor: page.next_cursor }
      : { items: page.items as Service[] };
  }

  async get(ref: string) {
    const parsed = parseServiceRef(ref);
    if ("id" in parsed) {
      return (await this.#call(
        this.#api.GET("/api/services/{id}", { params: { path: { id: parsed.id } } }),
      )) as Service;
    }
    // The collection filter, not the deprecated GET /api/services/by-name/{name}.
    const page = await this.list({ filter: `name = "${parsed.name}"`, limit: 1 });
    const found = page.items[0];
    if (!found) throw new ServiceNotFoundError(`"${parsed.name}"`);
    return found;
  }

  async recordConformance(id: string, result: Parameters<ServicesBackend["recordConformance"]>[1]) {
    return (await this.#call(
      this.#api.PUT("/api/services/{id}/conformance", { params: { path: { id } }, body: result }),
    )) as Service;
  }

  async history(id: string, query: HistoryQuery) {
    const q = {
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(query.instance !== undefined ? { instance: query.instance } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
    };
    return this.#call(
      this.#api.GET("/api/services/{id}/health-history", { params: { path: { id }, query: q } }),
    );
  }

  async register(input: Parameters<ServicesBackend["register"]>[0]) {
    return (await this.#call(this.#api.POST("/api/services", { body: input }))) as Service;
  }

  async remove(ref: string) {
    const entry = await this.get(ref);
    await this.#call(
      this.#api.DELETE("/api/services/{id}", {
        params: { path: { id: entry.id } },
        headers: { "if-match": `"${entry.etag}"` },
      }),
    );
    return this.get(entry.id);
  }

  async close() {}

  #call<T>(pending: Promise<Outcome<T>>): Promise<T> {
    return call(this.#url, pending);
  }
}
