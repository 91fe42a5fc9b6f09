import type { TSchema } from "typebox";
import { bodyErrors, CursorCodec, validationFailed } from "../../api/index.ts";
import { type Clock, randomSecret, systemClock } from "../../core/index.ts";
import { ActionItems, type Core, Interviews, Members, RetroEntries } from "../../gamedays/index.ts";
import { type Store, settingOrCreate } from "../../store/index.ts";
import { type GlobalOptions, requireLocal, type Session, withLocalStore } from "../context.ts";

/** What the team, actions and postmortem commands work with: the local store's resources. */
export interface TeamContext {
  readonly store: Store;
  readonly core: Core & { readonly clock: Clock };
  readonly members: Members;
  readonly interviews: Interviews;
  readonly actions: ActionItems;
  readonly retro: RetroEntries;
}

/**
 * Open the local store for `command` (these commands work on the store of this machine; the
 * same resources are served over HTTP by `opsdojo serve`). The cursor key is the one the API core
 * keeps, so CLI and server cursors agree.
 */
export function withTeam<T>(
  session: Session,
  globals: GlobalOptions,
  command: string,
  task: (ctx: TeamContext) => Promise<T>,
): Promise<T> {
  requireLocal(globals, command);
  return withLocalStore(session.env, async (store) => {
    const key = await settingOrCreate(store.db, "cursor_signing_key", () => randomSecret(32));
    const core = { store, clock: systemClock, cursors: new CursorCodec(key) };
    return task({
      store,
      core,
      members: new Members(core),
      interviews: new Interviews(core),
      actions: new ActionItems(core),
      retro: new RetroEntries(core),
    });
  });
}

/** The same JSON Schema checks, and the same `errors[]`, as the API's body validation. */
export function checkBody(schema: TSchema, body: unknown): void {
  const errors = bodyErrors(schema, body);
  if (errors.length > 0) throw validationFailed(errors);
}

/** `a,b` → ["a", "b"], for options that take lists. */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
