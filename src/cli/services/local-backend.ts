import { bodyErrors, CursorCodec, quoteEtag, validationFailed } from "../../api/index.ts";
import { randomSecret, systemClock } from "../../core/index.ts";
import {
  Directory,
  healthPolicyFrom,
  type ServiceCreate,
  ServiceCreateSchema,
  ServiceNotFoundError,
} from "../../directory/index.ts";
import { type Store, settingOrCreate } from "../../store/index.ts";
import { openLocalStore } from "../context.ts";
import { parseServiceRef, type ServicesBackend } from "./backend.ts";

/** The directory on the store of this machine, through the same Directory class the routes use. */
export async function openLocalServices(env: NodeJS.ProcessEnv): Promise<ServicesBackend> {
  const store = await openLocalStore(env);
  try {
    return new LocalServices(store, await directoryOn(store));
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The cursor key is the one the API core keeps in the store, so CLI and server cursors agree. */
async function directoryOn(store: Store): Promise<Directory> {
  const key = await settingOrCreate(store.db, "cursor_signing_key", () => randomSecret(32));
  return new Directory(
    { store, clock: systemClock, cursors: new CursorCodec(key) },
    // The same allow-list as a server on this store would use, so both accept the same entries.
    { healthPolicy: healthPolicyFrom(undefined, process.env) },
  );
}

class LocalServices implements ServicesBackend {
  readonly #store: Store;
  readonly #directory: Directory;
  constructor(store: Store, directory: Directory) {
    this.#store = store;
    this.#directory = directory;
  }

  list: ServicesBackend["list"] = (query) => this.#directory.list(query);

  async get(ref: string) {
    const parsed = parseServiceRef(ref);
    if ("id" in parsed) return this.#directory.get(parsed.id);
    const found = await this.#directory.findByName(parsed.name);
    if (!found) throw new ServiceNotFoundError(`"${parsed.name}"`);
    return found;
  }

  async register(input: ServiceCreate) {
    // The routes validate bodies against the schema before the Directory sees them; so must we.
    checkServiceCreate(input);
    return this.#directory.create(input);
  }

  async remove(ref: string) {
    const entry = await this.get(ref);
    await this.#directory.remove(entry.id, { ifMatch: quoteEtag(entry.etag) });
    return this.#directory.get(entry.id);
  }

  recordConformance: ServicesBackend["recordConformance"] = (id, result) =>
    this.#directory.recordConformance(id, result);

  history: ServicesBackend["history"] = (id, query) => this.#directory.history(id, query);

  close = () => this.#store.close();
}

/** The same JSON Schema checks, and the same `errors[]`, as `POST /api/services`. */
function checkServiceCreate(input: ServiceCreate): void {
  const errors = bodyErrors(ServiceCreateSchema, input);
  if (errors.length > 0) throw validationFailed(errors);
}
