import { InvalidInputError } from "../../core/index.ts";
import { type CommandResult, table } from "../output.ts";
import type { ServicesBackend } from "../services/backend.ts";

export interface HealthOptions {
  readonly instance?: string;
  readonly since?: string;
  readonly limit?: string;
  readonly cursor?: string;
}

/** `services health NAME`: the entry's instance status transitions, newest first. */
export async function serviceHealth(
  services: ServicesBackend,
  ref: string,
  options: HealthOptions,
): Promise<CommandResult> {
  const limit = options.limit === undefined ? undefined : parseLimit(options.limit);
  if (options.since !== undefined && !isDateTime(options.since)) {
    throw new InvalidInputError(
      `--since "${options.since.slice(0, 40)}" is not a date-time; write it as RFC 3339, e.g. 2026-03-01T00:00:00Z`,
    );
  }
  const service = await services.get(ref);
  const page = await services.history(service.id, {
    ...(options.instance !== undefined ? { instance: options.instance } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
  });
  return {
    json: page,
    text: (s) => {
      if (page.items.length === 0) {
        return `${service.name}: no health change recorded${
          options.since ? ` since ${options.since}` : ""
        } (transitions are kept 30 days)`;
      }
      const rows = page.items.map((e) => [
        e.at,
        e.base_url,
        `${e.previous_status} -> ${e.status}`,
        e.detail ?? "",
      ]);
      const out = `${s.bold(service.name)}: health changes, newest first\n${table(
        ["AT", "INSTANCE", "CHANGE", "DETAIL"],
        rows,
        s,
      )}`;
      return page.next_cursor ? `${out}\n${s.dim(`more: add --cursor ${page.next_cursor}`)}` : out;
    },
  };
}

function isDateTime(text: string): boolean {
  return (
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(text) &&
    !Number.isNaN(Date.parse(text))
  );
}

function parseLimit(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InvalidInputError(
      `--limit "${text}" must be a whole number of at least 1 (at most 500 per page)`,
    );
  }
  return Number(text);
}
