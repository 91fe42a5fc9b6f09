import { lookup } from "node:dns/promises";
import { connect, isIP } from "node:net";
import { messageOf } from "../../../core/index.ts";
import type { Probe } from "./bounded.ts";

/** Does the host name resolve? (An IP address needs no lookup and is not probed.) */
export function dnsProbe(host: string): Probe {
  return {
    kind: "dns",
    question: `does ${host} resolve?`,
    async run() {
      try {
        const found = await lookup(host, { all: true });
        const addresses = found.map((a) => a.address);
        return {
          ok: addresses.length > 0,
          answer: `it resolves to ${addresses.join(", ")}`,
          facts: { host, resolves: true, addresses: addresses.join(",") },
        };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? messageOf(error);
        return { ok: false, answer: `it does not resolve (${code})`, facts: { host, resolves: false, code } };
      }
    },
  };
}

/** Does anything accept a TCP connection on host:port? */
export function tcpProbe(host: string, port: number, why?: string): Probe {
  return {
    kind: "tcp",
    question: `is ${hostPort(host, port)} open?${why ? ` (${why})` : ""}`,
    run(signal) {
      return new Promise((resolve) => {
        const socket = connect({ host, port });
        const done = (open: boolean, code: string) => {
          signal.removeEventListener("abort", onAbort);
          socket.destroy();
          resolve({
            ok: open,
            answer: open ? "it accepts connections" : `it does not accept connections (${code})`,
            facts: { host, port, open, code, ...(why ? { alternative: true } : {}) },
          });
        };
        const onAbort = () => done(false, "no answer in time");
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
        socket.once("connect", () => done(true, "open"));
        socket.once("error", (e: NodeJS.ErrnoException) => done(false, e.code ?? e.message));
      });
    },
  };
}

/** Is a process answering HTTP there, with which status? (GET, no redirects followed.) */
export function httpProbe(url: string): Probe {
  return {
    kind: "http",
    question: `does GET ${url} answer?`,
    async run(signal) {
      const started = performance.now();
      try {
        const response = await fetch(url, { method: "GET", redirect: "manual", signal });
        const latency = Math.round(performance.now() - started);
        await response.body?.cancel().catch(() => {});
        const ok = response.status < 500;
        return {
          ok,
          answer: `HTTP ${response.status} in ${latency} ms`,
          facts: { answered: true, status: response.status, latency_ms: latency },
        };
      } catch (error) {
        const e = error as Error & { cause?: { code?: string; message?: string } };
        const code =
          e.name === "AbortError" || e.name === "TimeoutError"
            ? "no answer in time"
            : (e.cause?.code ?? e.cause?.message ?? e.message);
        return { ok: false, answer: `no response (${code})`, facts: { answered: false, code } };
      }
    },
  };
}

export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Host and port of an http(s) URL (default ports filled in); undefined for anything else. */
export function endpointOf(url: string): { host: string; port: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
  return { host, port };
}

export function needsLookup(host: string): boolean {
  return isIP(host) === 0;
}
