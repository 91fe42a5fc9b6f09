import type { Static } from "typebox";
import type { CoreContext } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import {
  type CheckRunner,
  checkStartable,
  hostedSessionOwner,
  restoreLostSessions,
  type StartInput,
  startSession,
} from "../session/index.ts";
import type { ScenariosApi } from "./scenarios-api.ts";
import type { SessionCreateSchema } from "./schemas.ts";
import { type SessionResource, type SessionsApi, sessionResource } from "./sessions-api.ts";

export type SessionCreate = Static<typeof SessionCreateSchema>;

export interface SessionHostOptions {
  /** How often a hosted session checks objectives and reads commands (default 1 s). */
  readonly pollMs?: number;
  /** The lease on the sessions this node hosts (default 30 s): a dead host's are restored within lease + one poll. */
  readonly leaseMs?: number;
  /** How often this node looks for sessions of dead nodes to restore (default 1 s). */
  readonly takeoverPollMs?: number;
  /** How objectives are checked (tests). */
  readonly checker?: CheckRunner;
}

interface Hosted {
  readonly stop: AbortController;
  readonly done: Promise<unknown>;
}

/**
 * Sessions started over the API (`POST /api/sessions`), played by this server process exactly as
 * `opsdojo gameday start` plays one: faults on schedule through the operations engine, objectives
 * watched, commands (end, release) read from the store, every fault undone at the end. When the
 * server stops, each session it hosts ends (the GM's word) and is restored before it goes; a
 * server killed outright leaves its sessions to the lease, and `gameday restore` undoes them.
 */
export class SessionHost {
  readonly #core: Pick<CoreContext, "store" | "clock">;
  readonly #scenarios: ScenariosApi;
  readonly #sessions: SessionsApi;
  readonly #options: SessionHostOptions;
  readonly #hosted = new Map<string, Hosted>();
  /** This node's lease owner for the sessions it hosts (`<host>:<pid>/gd-<hex>`). */
  readonly owner = hostedSessionOwner();
  #timer: NodeJS.Timeout | undefined;
  #looking: Promise<void> | undefined;

  constructor(
    core: Pick<CoreContext, "store" | "clock">,
    scenarios: ScenariosApi,
    sessions: SessionsApi,
    options: SessionHostOptions = {},
  ) {
    this.#core = core;
    this.#scenarios = scenarios;
    this.#sessions = sessions;
    this.#options = options;
  }

  /**
   * Check and open the session (refused when a fault could not be undone, a role is unknown, or
   * an objective fails before any fault), then play it in the background. The session's id.
   */
  async start(input: SessionCreate): Promise<string> {
    const start = await this.#startInput(input);
    const stop = new AbortController();
    let id = "";
    const runner = await startSession(start, {
      store: this.#core.store,
      clock: this.#core.clock,
      signal: stop.signal,
      owner: this.owner,
      ...(this.#options.leaseMs ? { leaseMs: this.#options.leaseMs } : {}),
      ...(this.#options.checker ? { checker: this.#options.checker } : {}),
      ...(this.#options.pollMs ? { pollMs: this.#options.pollMs } : {}),
      onEntry: () => {
        if (id) this.#sessions.touched(id);
      },
    });
    id = runner.id;
    // A tick that fails for good leaves the session to its lease: found interrupted, restorable.
    const done = runner
      .run()
      .catch(() => undefined)
      .finally(() => this.#hosted.delete(runner.id));
    this.#hosted.set(runner.id, { stop, done });
    return runner.id;
  }

  /**
   * What `start` checks before anything runs (validate_only): the scenario, its faults, the
   * party. The session it would open, not stored (its objectives are checked only by `start`).
   */
  async validate(input: SessionCreate): Promise<SessionResource> {
    const start = await this.#startInput(input);
    checkStartable(start);
    const now = this.#core.clock.now();
    const { scenario } = start.loaded;
    const preview = sessionResource(
      {
        id: newId("gd", now),
        scenario: scenario.name,
        title: scenario.title ?? scenario.name,
        file: start.loaded.file,
        kind: "drill",
        status: "running",
        gm: start.gm,
        players: start.players,
        startedAt: now.toISOString(),
        faultInjectedAt: null,
        endedAt: null,
        endReason: null,
        cleanRestore: null,
        leaseOwner: null,
        faults: start.loaded.faults.map((f, index) => ({
          index,
          name: f.fault.name,
          operationId: "",
          params: f.params,
          runId: null,
          status: "pending",
          injectedAt: null,
          restoreStatus: null,
          restoredAt: null,
        })),
      },
      [],
    );
    return { ...preview, etag: "validate-only" };
  }

  async #startInput(input: SessionCreate): Promise<StartInput> {
    return {
      loaded: await this.#scenarios.resolve(input.scenario),
      gm: input.gm,
      players: input.players,
      ...(input.allow_irreversible ? { allowIrreversible: true } : {}),
    };
  }

  /** Sessions this process is playing now. */
  get playing(): readonly string[] {
    return [...this.#hosted.keys()];
  }

  /** Look for dead nodes' sessions now and every `takeoverPollMs`. */
  watch(): void {
    this.#timer = setInterval(() => this.lookForLost(), this.#options.takeoverPollMs ?? 1000);
    this.#timer.unref();
    this.lookForLost();
  }

  /** One look for sessions whose host died; restores them here (one at a time per node). */
  lookForLost(): void {
    if (this.#looking) return;
    const { store, clock } = this.#core;
    this.#looking = restoreLostSessions(store, clock, this.owner, {
      ...(this.#options.leaseMs ? { leaseMs: this.#options.leaseMs } : {}),
      ...(this.#options.checker ? { checker: this.#options.checker } : {}),
    })
      .then((ids) => {
        for (const id of ids) this.#sessions.touched(id);
      })
      .catch(() => {})
      .finally(() => {
        this.#looking = undefined;
      });
  }

  /** End every hosted session and wait until each is restored. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#looking;
    const hosted = [...this.#hosted.values()];
    for (const h of hosted) h.stop.abort();
    await Promise.all(hosted.map((h) => h.done));
  }
}
