import type { paths } from "../../client/index.ts";
import {
  GamedayItemNotFoundError,
  type Postmortem,
  SessionNotFoundError,
  type SessionRecord,
  type TimelineEntry,
} from "../../gamedays/index.ts";
import { RemoteProblemError } from "../errors.ts";
import { apiClient, call, type Outcome, type RemoteOptions } from "../remote/index.ts";
import type { GamedaysBackend, PostmortemSource } from "./backend.ts";

type SessionResource = paths["/api/sessions/{id}"]["get"]["responses"][200]["content"]["application/json"];
type EntryResource =
  paths["/api/sessions/{id}/timeline/{seq}"]["get"]["responses"][200]["content"]["application/json"];

const PAGE = 500;
/** As many as the local list shows. */
const LIST_LIMIT = 200;

/** A server's game days (GET /api/sessions…), as the local store's records. */
export function remoteGamedays(options: RemoteOptions): GamedaysBackend & PostmortemSource {
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
        for (const e of page?.items ?? []) if (e.seq > afterSeq) out.push(entryOf(e));
        cursor = page?.next_cursor ?? undefined;
      } while (cursor);
      return out.sort((a, b) => a.seq - b.seq);
    },
    async note(id, input) {
      const body = { kind: input.kind, text: input.text, ...(input.by === null ? {} : { by: input.by }) };
      return entryOf(
        await ofSession(id, api.POST("/api/sessions/{id}/timeline", { params: { path: { id } }, body })),
      );
    },
    async mark(id, seq, correct) {
      await this.get(id);
      const path = { id, seq };
      let current: EntryResource;
      try {
        current = await get(api.GET("/api/sessions/{id}/timeline/{seq}", { params: { path } }));
      } catch (error) {
        if (error instanceof RemoteProblemError && error.status === 404)
          throw new GamedayItemNotFoundError(`session ${id} has no timeline entry ${seq}`, { seq });
        throw error;
      }
      // Refused here with the local store's words (the server refuses it too, as a 422).
      if (current.kind !== "hypothesis")
        throw new GamedayItemNotFoundError(
          `entry ${seq} is a ${current.kind}, not a hypothesis; only hypotheses are marked correct or wrong`,
          { seq },
        );
      const marked = await get(
        api.PATCH("/api/sessions/{id}/timeline/{seq}", {
          params: { path },
          headers: { "if-match": `"${current.etag}"` },
          body: { correct },
        }),
      );
      return entryOf(marked);
    },
    async postmortem(id) {
      const resource = await ofSession(
        id,
        api.GET("/api/sessions/{id}/postmortem", { params: { path: { id } } }),
      );
      // The server writes the schema's declared fields first (summary among them): put summary
      // back before impact, where buildPostmortem writes it, so both print the same JSON.
      const { id: _id, etag: _etag, summary, ...rest } = resource as Record<string, unknown>;
      const pm: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rest)) {
        if (key === "impact") pm.summary = summary;
        pm[key] = value;
      }
      if (!("summary" in pm)) pm.summary = summary;
      return pm as unknown as Postmortem;
    },
    async postmortemMarkdown(id) {
      return (await ofSession(
        id,
        api.GET("/api/sessions/{id}/postmortem/md", { params: { path: { id } }, parseAs: "text" }),
      )) as string;
    },
    async close() {},
  };
}

function entryOf(e: EntryResource): TimelineEntry {
  return {
    seq: e.seq,
    at: e.at,
    kind: e.kind as TimelineEntry["kind"],
    source: e.source as TimelineEntry["source"],
    by: e.by ?? null,
    text: e.text,
    data: e.data as Record<string, unknown>,
    correct: e.correct ?? null,
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
