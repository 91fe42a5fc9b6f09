import type { Selectable } from "kysely";
import { computeEtag } from "../api/index.ts";
import type { ServicesTable } from "../store/index.ts";
import {
  type ConformanceResult,
  DEFAULT_HEALTH_PATH,
  type Instance,
  type Service,
  type ServiceVersion,
} from "./model.ts";

export type ServiceRow = Selectable<ServicesTable>;

export interface HealthRow {
  base_url: string;
  status: string;
  checked_at: string;
  detail: string | null;
}

const MEMO_SIZE = 2000;
const memo = new Map<string, Service>();

/**
 * `toService` for rows read from the store, memoised by id, revision and health stamps. Only
 * stored rows may come here: in the store, (id, revision) names one state (every write bumps
 * the revision under optimistic concurrency) — a row built for validate_only does not.
 */
export function storedService(row: ServiceRow, health: readonly HealthRow[]): Service {
  let key = `${row.id}\u0000${row.revision}\u0000${row.deleted_at ?? ""}`;
  // Every health field that shows in the representation is part of the key, detail included.
  for (const h of health)
    key += `\u0000${h.base_url}\u0001${h.checked_at}\u0001${h.status}\u0001${h.detail ?? ""}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const service = toService(row, health);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, service);
  return service;
}

/** Row (+ latest health of its instances) → the representation clients see, with its ETag. */
export function toService(row: ServiceRow, health: readonly HealthRow[]): Service {
  const byUrl = new Map(health.map((h) => [h.base_url, h]));
  const instances: Instance[] = (JSON.parse(row.instances) as Array<{ base_url: string }>).map(
    ({ base_url }) => {
      const h = byUrl.get(base_url);
      if (!h) return { base_url, status: "unknown" };
      return {
        base_url,
        status: h.status as Instance["status"],
        checked_at: h.checked_at,
        ...(h.detail ? { detail: h.detail } : {}),
      };
    },
  );
  const body = {
    id: row.id,
    name: row.name,
    owner: row.owner,
    description: row.description,
    lifecycle: row.lifecycle as Service["lifecycle"],
    versions: JSON.parse(row.versions) as ServiceVersion[],
    instances,
    health_url: row.health_url ?? DEFAULT_HEALTH_PATH,
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
    ...(row.conformance ? { conformance: JSON.parse(row.conformance) as ConformanceResult } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}
