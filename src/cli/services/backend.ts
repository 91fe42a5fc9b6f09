import type { Page, PageQuery } from "../../api/index.ts";
import { InvalidInputError } from "../../core/index.ts";
import type {
  ConformanceResult,
  HealthEvent,
  HistoryQuery,
  Service,
  ServiceCreate,
} from "../../directory/index.ts";

/**
 * What the `services` commands need from the directory. One implementation works on the local
 * store through the Directory class, the other on a server through the typed client; the
 * commands are written once against this interface.
 */
export interface ServicesBackend {
  list(query: PageQuery): Promise<Page<Service>>;
  /** By id (`svc_…`, soft-deleted entries too) or by name (live entries only). */
  get(ref: string): Promise<Service>;
  register(input: ServiceCreate): Promise<Service>;
  /** Soft-delete; returns the entry as it is afterwards (with `deleted_at`). */
  remove(ref: string): Promise<Service>;
  /** Store the latest conformance result on the entry. */
  recordConformance(id: string, result: ConformanceResult): Promise<Service>;
  /** The entry's health transitions, newest first (`services health`). */
  history(id: string, query: HistoryQuery): Promise<Page<HealthEvent>>;
  close(): Promise<void>;
}

export type ServiceRef = { readonly id: string } | { readonly name: string };

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ID = /^svc_[0-9a-z]{1,96}$/;

/** Names are kebab-case and ids start with `svc_`, so one argument can take either. */
export function parseServiceRef(ref: string): ServiceRef {
  if (ID.test(ref)) return { id: ref };
  if (NAME.test(ref) && ref.length <= 63) return { name: ref };
  throw new InvalidInputError(
    `"${ref}" is neither a service id (svc_…) nor a service name (kebab-case, e.g. payments-api)`,
  );
}
