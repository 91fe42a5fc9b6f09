import type { paths } from "../../client/index.ts";
import { SessionNotFoundError, type SessionRecord, type TimelineEntry } from "../../gamedays/index.ts";
import { RemoteProblemError } from "../errors.ts";
import { apiClient, call, type Outcome, type RemoteOptions } from "../remote/index.ts";
import type { GamedaysBackend } from "./backend.ts";

type SessionResource = paths["/api/sessions/{id}"]["get"]["responses"][200]["content"]["application/json"];

const PAGE = 500;
/** As many as the local list shows. */
const LIST_LIMIT = 200;

/** A server's game days (GET /api/sessions…), as the local store's records. */
export function remoteGamedays(options: RemoteOptions): GamedaysBackend {
  const api = apiClient(options);
  const get = <T>(pending: Promise<Outcome<T>>) => call(options.url, pending);
  const ofSession = async <T>(id: string, pending: Promise<Outcome<T>>): Promise<T> => {
    try {
      return await get(pending);
    } catch (error) {
      // The same words as the local store's, so a script sees one message either way.
      if (error instanceof RemoteProblemError && error.status === 404) throw new SessionNotFoundError(id);
      throw error;
    }
  };
  return {
    async list(scenario) {
      const all: SessionResource[] = [];
      let cursor: string | undefined;
      do {
        const query = { limit: PAGE, ...(cursor ? { cursor } : {}) };
        const page = await get(api.GET("/api/sessions", { params: { query } }));
        all.push(...(page.items as SessionResource[]));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return all
        .filter((s) => scenario === undefined || s.scenario === scenario)
        .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .slice(0, LIST_LIMIT)
        .map(recordOf);
    },
    async get(id) {
      return recordOf(await ofSession(id, api.GET("/api/sessions/{id}", { params: { path: { id } } })));
    },
    async entries(id, afterSeq = 0) {
      const out: TimelineEntry[] = [];
      let cursor: string | undefined;
      do {
        const query = { limit: PAGE, ...(cursor ? { cursor } : {}) };
        const page = await ofSession(
          id,
          api.GET("/api/sessions/{id}/timeline", { params: { path: { id }, query } }),
        );
        for (const e of page?.items ?? []) {
          if (e.seq <= afterSeq) continue;
          out.push({
            seq: e.seq,
            at: e.at,
            kind: e.kind as TimelineEntry["kind"],
            source: e.source,
            by: e.by ?? null,
            text: e.text,
            data: e.data as Record<string, unknown>,
            correct: e.correct ?? null,
          });
        }
        cursor = page?.next_cursor ?? undefined;
      } while (cursor);
      return out.sort((a, b) => a.seq - b.seq);
    },
    async close() {},
  };
}

function recordOf(s: SessionResource): SessionRecord {
  return {
    id: s.id,
    scenario: s.scenario,
    title: s.scenario_title,
    // Where the scenario file was on the server's host: not part of the resource.
    file: "",
    kind: s.kind,
    status: s.status,
    gm: s.gm,
    players: s.players,
    startedAt: s.started_at,
    faultInjectedAt: s.fault_injected_at ?? null,
    endedAt: s.ended_at ?? null,
    endReason: s.end_reason ?? null,
    cleanRestore: s.clean_restore ?? null,
    leaseOwner: null,
    faults: s.faults.map((f) => ({
      index: f.index,
      name: f.name,
      operationId: f.operation_id,
      params: f.params,
      runId: f.run_id ?? null,
      status: f.status,
      injectedAt: f.injected_at ?? null,
      restoreStatus: f.restore_status ?? null,
      restoredAt: f.restored_at ?? null,
    })),
  };
}
