import type { Clock } from "../../core/index.ts";
import {
  checkPlan,
  currentOwner,
  irreversibleSteps,
  Journal,
  parseDuration,
  RunRefusedError,
  registerOperation,
  runOperation,
} from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { ScenarioRefusedError } from "../errors.ts";
import { DEFAULT_ROLES, DEFAULT_STABLE_FOR, type LoadedScenario } from "../scenario/index.ts";
import { appendEntry, listEntries, type NewEntry, type TimelineEntry } from "../timeline/index.ts";
import { type CheckRunner, runScenarioCheck } from "./checks.ts";
import { faultStarter } from "./fault-starter.ts";
import type { EndReason, Player, SessionRecord } from "./model.ts";
import { SessionRepository } from "./repository.ts";
import { restoreFaults } from "./restore.ts";
import { dueItems, key, releasable, type ScheduledItem, scheduleOf, stopTripped } from "./schedule.ts";

export interface RunnerOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Who holds the session's lease (and the faults' runs): `<host>:<pid>` by default. */
  readonly owner?: string;
  readonly leaseMs?: number;
  /** How often objectives and stop conditions are checked and commands read (default 1 s). */
  readonly pollMs?: number;
  /** Waits between ticks; tests pass one that moves a ManualClock instead. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly checker?: CheckRunner;
  /** Aborting it is the GM's word: the session ends (not resolved) and everything is restored. */
  readonly signal?: AbortSignal;
  /** Every timeline entry as it is recorded, by this process or any other (the live view). */
  readonly onEntry?: (entry: TimelineEntry) => void;
  /** Least time the objectives get to pass after the restore (default 10 s). */
  readonly restoreWithinMs?: number;
}

export interface StartInput {
  readonly loaded: LoadedScenario;
  readonly gm: string;
  readonly players: readonly Player[];
  readonly allowIrreversible?: boolean;
}

/** The faults of a scenario that nothing could undo: `fault: step, step`. */
export function irreversibleFaults(loaded: LoadedScenario): { fault: string; steps: string[] }[] {
  return loaded.faults
    .map((f) => ({ fault: f.fault.name, steps: irreversibleSteps(f.operation) }))
    .filter((f) => f.steps.length > 0);
}

/**
 * What refuses a session before anything runs: a fault nothing could undo (unless allowed), a
 * player in a role the scenario does not have. (`startSession` checks the objectives next.)
 */
export function checkStartable(input: StartInput): void {
  const { loaded } = input;
  const { scenario } = loaded;
  const oneWay = irreversibleFaults(loaded);
  if (oneWay.length > 0 && !input.allowIrreversible) {
    throw new ScenarioRefusedError(
      `faults that cannot be undone: ${oneWay.map((f) => `${f.fault} (${f.steps.join(", ")})`).join("; ")}; declare an undo for those steps, or pass --allow-irreversible`,
      { irreversible: oneWay },
    );
  }
  const roles: readonly string[] = scenario.roles ?? DEFAULT_ROLES;
  const badRoles = input.players.filter((p) => !roles.includes(p.role));
  if (badRoles.length > 0) {
    throw new ScenarioRefusedError(
      `${badRoles.map((p) => `${p.name}:${p.role}`).join(", ")}: the scenario's roles are ${roles.join(", ")}`,
    );
  }
}

/**
 * Open a session: refuse irreversible faults (unless allowed) and players in roles the scenario
 * does not have; check that every objective passes before any fault — if one fails, the
 * scenario is wrong and nothing is started; register each fault's operation; record the start.
 */
export async function startSession(input: StartInput, options: RunnerOptions): Promise<SessionRunner> {
  checkStartable(input);
  const { loaded } = input;
  const { scenario } = loaded;
  const checker = options.checker ?? runScenarioCheck;
  const baseline = await Promise.all(scenario.objectives.map((c) => checker(c, {})));
  const failing = baseline.filter((r) => !r.ok);
  if (failing.length > 0) {
    throw new ScenarioRefusedError(
      `the objectives must pass before any fault, and ${failing.map((r) => `${r.name} fails (expected ${r.expected}, observed ${r.observed})`).join("; ")}; the scenario or its environment is wrong — nothing was started`,
      { failing: failing.map((r) => ({ name: r.name, expected: r.expected, observed: r.observed })) },
    );
  }
  const registered: { id: string }[] = [];
  for (const f of loaded.faults)
    registered.push(await registerOperation(options.store, options.clock, f.source, f.file));
  const owner = options.owner ?? currentOwner();
  const leaseMs = options.leaseMs ?? 30_000;
  const repo = new SessionRepository(options.store, options.clock);
  const id = await repo.create({
    scenario: scenario.name,
    title: scenario.title ?? scenario.name,
    file: loaded.file,
    source: loaded.source,
    gm: input.gm,
    players: input.players,
    owner,
    leaseMs,
    faults: loaded.faults.map((f, i) => ({
      name: f.fault.name,
      operationId: registered[i]?.id ?? "",
      params: f.params,
    })),
  });
  const runner = new SessionRunner(
    id,
    loaded,
    registered.map((r) => r.id),
    repo,
    { ...options, owner, leaseMs },
    checker,
  );
  await runner.record({
    kind: "session.started",
    source: "auto",
    by: input.gm,
    text: `${scenario.title ?? scenario.name} — GM ${input.gm}; ${input.players.map((p) => `${p.name} (${p.role})`).join(", ") || "no players"}. Brief: ${scenario.brief.trim()}`,
    data: {
      scenario: scenario.name,
      gm: input.gm,
      players: input.players,
      timebox: scenario.timebox,
      kind: "drill",
    },
  });
  await runner.record({
    kind: "objectives.baseline",
    source: "auto",
    text: `every objective passes before any fault: ${baseline.map((r) => r.name).join(", ")}`,
    data: { objectives: baseline.map((r) => ({ name: r.name, ok: r.ok, observed: r.observed })) },
  });
  return runner;
}

/** Ticks that may fail in a row (store busy, disk full) before the session gives up and is left to `gameday restore`. */
const MAX_FAILED_TICKS = 5;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * A session as it runs, one tick at a time: read the commands other processes left (release,
 * end), do what is due (faults through the operations engine, injects, hints), check objectives
 * and stop conditions and record every transition, then decide whether it ends. When it ends,
 * every fault is undone and the objectives checked again.
 */
export class SessionRunner {
  readonly id: string;
  readonly #loaded: LoadedScenario;
  readonly #operationIds: readonly string[];
  readonly #repo: SessionRepository;
  readonly #options: RunnerOptions & { owner: string; leaseMs: number };
  readonly #checker: CheckRunner;
  readonly #schedule: readonly ScheduledItem[];
  readonly #done = new Set<string>();
  readonly #objectiveOk = new Map<string, boolean>();
  readonly #stopFailingSince = new Map<number, number>();
  #startMs: number | undefined;
  #lastRenew = 0;
  #injected = false;
  #sawFailing = false;
  #streakStart: number | undefined;
  #endRequest: { resolved: boolean; by: string | null } | undefined;
  #lastSeq = 0;
  #final: SessionRecord | undefined;

  constructor(
    id: string,
    loaded: LoadedScenario,
    operationIds: readonly string[],
    repo: SessionRepository,
    options: RunnerOptions & { owner: string; leaseMs: number },
    checker: CheckRunner,
  ) {
    this.id = id;
    this.#loaded = loaded;
    this.#operationIds = operationIds;
    this.#repo = repo;
    this.#options = options;
    this.#checker = checker;
    this.#schedule = scheduleOf(loaded.scenario);
    for (const o of loaded.scenario.objectives) this.#objectiveOk.set(checkPlan(o).name, true);
  }

  async record(entry: NewEntry): Promise<TimelineEntry> {
    return appendEntry(this.#options.store.db, this.#options.clock, this.id, entry);
  }

  /** Runs ticks until the session has ended and been restored; the final session. */
  async run(): Promise<SessionRecord> {
    const sleep = this.#options.sleep ?? defaultSleep;
    const pollMs = this.#options.pollMs ?? 1000;
    let failures = 0;
    for (;;) {
      let final: SessionRecord | undefined;
      try {
        final = await this.tick();
        failures = 0;
      } catch (error) {
        // A store that is busy for a moment must not abandon a session with faults in place; the
        // tick is tried again (a fault is never injected twice, a restore is idempotent).
        if (++failures >= MAX_FAILED_TICKS) throw error;
      }
      await this.#publish().catch(() => {});
      if (final) return final;
      await sleep(pollMs, this.#options.signal);
    }
  }

  /** One round; the final session once it has ended (then every later call returns it again). */
  async tick(): Promise<SessionRecord | undefined> {
    if (this.#final) return this.#final;
    const { clock, leaseMs, owner } = this.#options;
    const now = clock.now().getTime();
    this.#startMs ??= Date.parse((await this.#repo.get(this.id)).startedAt);
    const elapsed = now - this.#startMs;
    if (now - this.#lastRenew >= leaseMs / 3) {
      await this.#repo.renewLease(this.id, owner, leaseMs);
      this.#lastRenew = now;
    }
    for (const command of await this.#repo.pendingCommands(this.id)) {
      if (command.type === "release") {
        const item = releasable(this.#schedule, command.item);
        if (item && !this.#done.has(key(item))) await this.#release(item, command.by, true);
      } else {
        this.#endRequest ??= { resolved: command.resolved, by: command.by };
      }
      await this.#repo.commandHandled(command.id);
    }
    if (this.#options.signal?.aborted) this.#endRequest ??= { resolved: false, by: null };
    if (!this.#endRequest) {
      for (const item of dueItems(this.#schedule, elapsed, this.#done)) {
        if (item.type === "fault") await this.#inject(item);
        else await this.#release(item, null, false);
      }
    }
    const checkedAt = await this.#watch();
    const stop = await this.#stopConditions();
    const faultsDone = this.#schedule.every((i) => i.type !== "fault" || this.#done.has(key(i)));
    const stableFor = parseDuration(this.#loaded.scenario.stable_for ?? DEFAULT_STABLE_FOR) ?? 10_000;
    const timebox = parseDuration(this.#loaded.scenario.timebox) ?? Number.MAX_SAFE_INTEGER;
    let reason: EndReason | undefined;
    let since: number | undefined;
    let by: string | null = null;
    if (this.#endRequest) {
      reason = this.#endRequest.resolved ? "resolved" : "gm";
      since = this.#endRequest.resolved ? (this.#streakStart ?? checkedAt) : undefined;
      by = this.#endRequest.by;
    } else if (stop) {
      reason = "stop_condition";
    } else if (
      faultsDone &&
      this.#injected &&
      this.#streakStart !== undefined &&
      checkedAt - this.#streakStart >= stableFor
    ) {
      reason = "resolved";
      since = this.#streakStart;
    } else if (clock.now().getTime() - this.#startMs >= timebox) {
      reason = "timebox";
    }
    if (reason === undefined) return undefined;
    this.#final = await this.#finish(reason, since, by);
    return this.#final;
  }

  async #inject(item: ScheduledItem): Promise<void> {
    this.#done.add(key(item));
    const { store, clock, owner } = this.#options;
    const fault = this.#loaded.faults[item.index];
    const operationId = this.#operationIds[item.index];
    if (!fault || !operationId) return;
    let result: Awaited<ReturnType<typeof runOperation>>;
    // `injecting` before the run, its id as soon as the journal has it: a crash in the middle of
    // the fault leaves a record that `gameday restore` finds (restore.ts looks the run up if the
    // id did not make it).
    await this.#repo.setFault(this.id, item.index, { status: "injecting" });
    let noted: Promise<void> = Promise.resolve();
    try {
      result = await runOperation(
        {
          operation: fault.operation,
          operationId,
          params: fault.params,
          // Not a person: a fault never counts among a service's operators (operations.md).
          startedBy: faultStarter(this.id),
        },
        {
          store,
          clock,
          owner,
          onEvent: (runId, event) => {
            if (event.type === "run.started")
              noted = this.#repo.setFault(this.id, item.index, { run_id: runId }).catch(() => {});
          },
        },
      );
      await noted;
    } catch (error) {
      await noted;
      if (!(error instanceof RunRefusedError)) throw error;
      await this.#repo.setFault(this.id, item.index, { status: "refused" });
      await this.record({
        kind: "fault.failed",
        source: "auto",
        text: `fault ${item.id} was not injected: ${error.message}`,
        data: { fault: item.id, reason: error.message },
      });
      return;
    }
    const events = await new Journal(store, clock).events(result.id, 0, 100_000);
    const first = events.find((e) => e.type === "step.succeeded");
    if (result.status !== "succeeded" || !first) {
      await this.#repo.setFault(this.id, item.index, { run_id: result.id, status: "failed" });
      await this.record({
        kind: "fault.failed",
        source: "auto",
        text: `fault ${item.id} failed to inject and was rolled back (run ${result.id}: ${result.status}${result.failure ? ` — ${result.failure.step}: ${result.failure.message}` : ""})`,
        data: { fault: item.id, run_id: result.id, status: result.status },
      });
      return;
    }
    // The ground truth: the instant the fault's first change was in place, as the journal says.
    const at = first.at;
    this.#injected = true;
    await this.#repo.setFault(this.id, item.index, {
      run_id: result.id,
      status: "injected",
      injected_at: at,
    });
    await this.#repo.noteInjection(this.id, at);
    await this.record({
      kind: "fault.injected",
      source: "auto",
      at: new Date(at),
      text: `fault ${item.id} injected (run ${result.id} of ${fault.operation.name})`,
      data: { fault: item.id, run_id: result.id, operation: fault.operation.name, injected_at: at },
    });
  }

  async #release(item: ScheduledItem, by: string | null, early: boolean): Promise<void> {
    this.#done.add(key(item));
    const { scenario } = this.#loaded;
    if (item.type === "inject") {
      const inject = scenario.injects?.[item.index];
      if (!inject) return;
      await this.record({
        kind: "inject.released",
        source: "auto",
        by,
        text: `${inject.from ? `from ${inject.from}: ` : ""}${inject.text}`,
        data: { id: item.id, ...(inject.from ? { from: inject.from } : {}), early },
      });
    } else if (item.type === "hint") {
      const hint = scenario.hints?.[item.index];
      if (!hint) return;
      await this.record({
        kind: "hint.released",
        source: "auto",
        by,
        text: hint.text,
        data: { id: item.id, early },
      });
    }
  }

  /** Check every objective; record each that changed; keep the resolution streak. Returns when it checked. */
  async #watch(): Promise<number> {
    const { scenario } = this.#loaded;
    const results = await Promise.all(scenario.objectives.map((c) => this.#checker(c, {})));
    const at = this.#options.clock.now();
    for (const r of results) {
      const before = this.#objectiveOk.get(r.name) ?? true;
      if (before === r.ok) continue;
      this.#objectiveOk.set(r.name, r.ok);
      await this.record({
        kind: r.ok ? "objective.passing" : "objective.failing",
        source: "auto",
        at,
        text: r.ok
          ? `${r.name} passes again`
          : `${r.name} fails: expected ${r.expected}, observed ${r.observed}`,
        data: { objective: r.name, expected: r.expected, observed: r.observed },
      });
    }
    if (this.#injected) {
      if (results.some((r) => !r.ok)) {
        this.#sawFailing = true;
        this.#streakStart = undefined;
      } else if (this.#sawFailing) {
        this.#streakStart ??= at.getTime();
      }
    }
    return at.getTime();
  }

  /** Whether a stop condition has tripped now (recorded on the timeline). */
  async #stopConditions(): Promise<boolean> {
    const conditions = this.#loaded.scenario.stop_conditions ?? [];
    if (conditions.length === 0) return false;
    const results = await Promise.all(conditions.map((c) => this.#checker(c, {})));
    const now = this.#options.clock.now().getTime();
    for (const [i, r] of results.entries()) {
      if (r.ok) {
        this.#stopFailingSince.delete(i);
        continue;
      }
      const since = this.#stopFailingSince.get(i) ?? now;
      this.#stopFailingSince.set(i, since);
      const failsFor = parseDuration(conditions[i]?.fails_for ?? "0s") ?? 0;
      if (stopTripped(since, now, failsFor)) {
        await this.record({
          kind: "stop_condition.tripped",
          source: "auto",
          text: `stop condition ${r.name} holds: expected ${r.expected}, observed ${r.observed}; aborting and restoring`,
          data: {
            stop_condition: r.name,
            expected: r.expected,
            observed: r.observed,
            failing_since: new Date(since).toISOString(),
          },
        });
        return true;
      }
    }
    return false;
  }

  async #finish(reason: EndReason, since: number | undefined, by: string | null): Promise<SessionRecord> {
    const { store, clock, owner } = this.#options;
    if (reason === "resolved") {
      await this.record({
        kind: "session.resolved",
        source: "auto",
        by,
        text: by
          ? "ends the session as resolved"
          : "every objective passes again and stayed passing: resolved",
        data: { since: new Date(since ?? clock.now().getTime()).toISOString() },
      });
    }
    await this.record({
      kind: "session.ending",
      source: "auto",
      by,
      text: `the session ends: ${describeReason(reason)}`,
      data: { reason },
    });
    await this.#repo.setStatus(this.id, "restoring", { end_reason: reason });
    const outcome = await restoreFaults(
      {
        store,
        clock,
        repo: this.#repo,
        owner,
        checker: this.#checker,
        ...(this.#options.restoreWithinMs === undefined ? {} : { withinMs: this.#options.restoreWithinMs }),
        ...(this.#loaded.scenario.on_conflict ? { onConflict: this.#loaded.scenario.on_conflict } : {}),
      },
      this.id,
      this.#loaded.scenario.objectives,
    );
    const endedAt = clock.now().toISOString();
    // The last entry before the status: whoever sees `ended` (a follower, an SSE stream) then
    // finds every entry, this one included, and may stop reading.
    await this.record({
      kind: "session.ended",
      source: "auto",
      text: `ended (${describeReason(reason)}); restore ${outcome.clean ? "clean" : "NOT clean"}`,
      data: { reason, clean_restore: outcome.clean },
    });
    await this.#repo.setStatus(this.id, "ended", {
      end_reason: reason,
      ended_at: endedAt,
      clean_restore: outcome.clean ? 1 : 0,
    });
    return this.#repo.get(this.id);
  }

  /** Hands every entry recorded since the last call (by anyone) to `onEntry`. */
  async #publish(): Promise<void> {
    const onEntry = this.#options.onEntry;
    if (!onEntry) return;
    for (const e of await listEntries(this.#options.store.db, this.id, this.#lastSeq)) {
      onEntry(e);
      this.#lastSeq = e.seq;
    }
  }
}

export function describeReason(reason: EndReason): string {
  switch (reason) {
    case "resolved":
      return "resolved";
    case "timebox":
      return "the timebox ran out";
    case "stop_condition":
      return "a stop condition held";
    case "gm":
      return "the GM ended it";
    case "interrupted":
      return "its process died";
  }
}
