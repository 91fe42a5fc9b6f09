import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { Clock } from "../core/index.ts";
import type { Directory } from "./directory.ts";
import { HISTORY_SWEEP_MS } from "./health-history.ts";
import { DEFAULT_HEALTH_POLICY, forbiddenAddress, type HealthPolicy, healthTarget } from "./health-target.ts";
import type { Instance, Service } from "./model.ts";

export interface PollResult {
  readonly status: Instance["status"];
  readonly detail: string | null;
}

/** Resolve a service's health_url for one instance: absolute as-is, a path against base_url. */
export function healthUrlFor(service: Pick<Service, "health_url">, baseUrl: string): string {
  return /^https?:\/\//.test(service.health_url)
    ? service.health_url
    : `${baseUrl.replace(/\/$/, "")}${service.health_url}`;
}

const MAX_HEALTH_BYTES = 64 * 1024;
/** Probes in flight at once, whatever the number of instances. */
const CONCURRENCY = 8;

/** Name resolution, injectable so a test can make a name resolve to a metadata address. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly resolve?: Resolver;
}

/** A resolved address the policy refuses; its message is shown as the instance's detail. */
class RefusedAddress extends Error {}

/**
 * A `lookup` for http.request that resolves the name once, refuses the connection when any
 * address is link-local or metadata, and hands the checked addresses to the socket: the
 * connection goes to exactly what was checked, so a name that re-resolves elsewhere between
 * check and connect (DNS rebinding) gains nothing.
 */
function checkedLookup(resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const a of addresses) {
          const why = forbiddenAddress(a.address);
          if (why) return callback(new RefusedAddress(`${hostname} resolves to ${why}`), "", 4);
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        const first = usable[0];
        if (!first) {
          const error = Object.assign(new Error("no address"), { code: "ENOTFOUND" });
          return callback(error, "", 4);
        }
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [...usable]);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
}

/**
 * One probe: `application/health+json` status when given, else 2xx = pass, anything else = fail.
 * The detail never quotes the URL or a raw error message (either may carry credentials): it is
 * an HTTP status, an error code, or our own reason.
 */
export function probe(url: string | URL, options: ProbeOptions): Promise<PollResult> {
  const target = typeof url === "string" ? new URL(url) : url;
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<PollResult>((settle) => {
    let done = false;
    const finish = (result: PollResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.destroy();
      settle(result);
    };
    // A health URL answers where it is: redirects are not followed (a registered URL must not be
    // able to send the server elsewhere), no connection is reused, and at most 64 KiB is read.
    const request = send(target, {
      method: "GET",
      agent: false,
      lookup: checkedLookup(options.resolve ?? systemResolver),
      headers: { accept: "application/health+json, application/json", "user-agent": "opsdojo-health" },
    });
    const timer = setTimeout(
      () => finish({ status: "fail", detail: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    request.on("error", (error: NodeJS.ErrnoException) =>
      finish({
        status: "fail",
        detail:
          error instanceof RefusedAddress
            ? `not polled: ${error.message}`
            : (error.code ?? "the request failed"),
      }),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const judge = () =>
        finish(judgeAnswer(response.statusCode ?? 0, Buffer.concat(chunks).subarray(0, MAX_HEALTH_BYTES)));
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size >= MAX_HEALTH_BYTES) judge();
      });
      response.on("end", judge);
      response.on("error", (error: NodeJS.ErrnoException) =>
        finish({ status: "fail", detail: error.code ?? "the answer broke off" }),
      );
    });
    request.end();
  });
}

function judgeAnswer(status: number, body: Buffer): PollResult {
  let reported: unknown;
  try {
    reported = (JSON.parse(body.toString("utf8")) as { status?: unknown }).status;
  } catch {
    reported = undefined;
  }
  if (reported === "pass" || reported === "warn" || reported === "fail") {
    return { status: reported, detail: reported === "pass" ? null : `reported ${reported} (HTTP ${status})` };
  }
  if (status >= 200 && status < 300) return { status: "pass", detail: null };
  if (status >= 300 && status < 400)
    return { status: "fail", detail: `HTTP ${status} (redirects are not followed)` };
  return { status: "fail", detail: `HTTP ${status}` };
}

/** Probe one instance when the policy lets the poller fetch its health URL; else say why not. */
export function probeInstance(
  service: Pick<Service, "health_url">,
  baseUrl: string,
  policy: HealthPolicy,
  options: ProbeOptions,
): Promise<PollResult> {
  const target = healthTarget(service.health_url, baseUrl, policy);
  if (!target.ok) return Promise.resolve({ status: "fail", detail: `not polled: ${target.reason}` });
  return probe(target.url, options);
}

/** Polls every instance of every live entry and records the result; the server runs it on a timer. */
export class HealthPoller {
  readonly #directory: Directory;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #policy: HealthPolicy;
  readonly #resolve: Resolver | undefined;
  #timer: NodeJS.Timeout | undefined;
  #first: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** When the history was last swept of old transitions (by the injected clock). */
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    directory: Directory,
    clock: Clock,
    options: { timeoutMs?: number; policy?: HealthPolicy | undefined; resolve?: Resolver } = {},
  ) {
    this.#directory = directory;
    this.#clock = clock;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    this.#resolve = options.resolve;
  }

  async pollOnce(): Promise<number> {
    const services = await this.#directory.pollTargets();
    const jobs = services.flatMap((service) =>
      service.instances.map(({ base_url }) => ({ service, base_url })),
    );
    let next = 0;
    const worker = async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) {
        const result = await probeInstance(job.service, job.base_url, this.#policy, {
          timeoutMs: this.#timeoutMs,
          ...(this.#resolve ? { resolve: this.#resolve } : {}),
        });
        await this.#directory.recordHealth(job.service.id, {
          base_url: job.base_url,
          status: result.status,
          detail: result.detail,
          checked_at: this.#clock.now().toISOString(),
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
    // Writes prune their own instance; this catches instances no longer polled (removed ones).
    const now = this.#clock.now().getTime();
    if (now - this.#sweptAt >= HISTORY_SWEEP_MS) {
      this.#sweptAt = now;
      await this.#directory.sweepHistory();
    }
    return jobs.length;
  }

  start(intervalMs: number): void {
    this.stop();
    const tick = () => {
      if (this.#running) return;
      this.#running = this.pollOnce()
        .then(() => {})
        .catch(() => {})
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
    this.#first = setTimeout(tick, 0);
    this.#first.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    // The first poll is scheduled apart from the interval: a stop right after start cancels it too.
    if (this.#first) clearTimeout(this.#first);
    this.#timer = undefined;
    this.#first = undefined;
    await this.#running;
  }
}
