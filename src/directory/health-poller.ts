import type { Clock } from "../core/index.ts";
import type { Directory } from "./directory.ts";
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

async function readCapped(response: Response, max: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}

/** One probe: `application/health+json` status when given, else 2xx = pass, anything else = fail. */
export async function probe(
  url: string,
  timeoutMs: number,
  fetcher: typeof fetch = fetch,
): Promise<PollResult> {
  try {
    // A health URL answers where it is: redirects are not followed (a registered URL must not
    // be able to send the server elsewhere), and at most 64 KiB of the answer is read.
    const response = await fetcher(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
      headers: { accept: "application/health+json, application/json" },
    });
    const text = await readCapped(response, MAX_HEALTH_BYTES);
    let reported: unknown;
    try {
      reported = (JSON.parse(text) as { status?: unknown }).status;
    } catch {
      reported = undefined;
    }
    if (reported === "pass" || reported === "warn" || reported === "fail") {
      return {
        status: reported,
        detail: reported === "pass" ? null : `reported ${reported} (HTTP ${response.status})`,
      };
    }
    return response.ok
      ? { status: "pass", detail: null }
      : { status: "fail", detail: `HTTP ${response.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { status: "fail", detail: why };
  }
}

/** Polls every instance of every live entry and records the result; the server runs it on a timer. */
export class HealthPoller {
  readonly #directory: Directory;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #first: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(directory: Directory, clock: Clock, options: { timeoutMs?: number } = {}) {
    this.#directory = directory;
    this.#clock = clock;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async pollOnce(): Promise<number> {
    const services = await this.#directory.pollTargets();
    const jobs = services.flatMap((service) =>
      service.instances.map(({ base_url }) => ({ service, base_url })),
    );
    let next = 0;
    const worker = async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) {
        const result = await probe(healthUrlFor(job.service, job.base_url), this.#timeoutMs);
        await this.#directory.recordHealth(job.service.id, {
          base_url: job.base_url,
          status: result.status,
          detail: result.detail,
          checked_at: this.#clock.now().toISOString(),
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
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
