import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import type { Host } from "../hosts/index.ts";

/** Statuses whose answer has no body (a Response refuses one). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * One HTTP request whose connection the host opens (an SSH direct-tcpip channel), as the
 * target itself would make it: `http`/`tcp` checks with `from: target`. Redirects are not
 * followed, as for checks from opsdojo. The answer is a fetch Response, so the check reads both
 * alike.
 */
export function fetchFrom(host: Host, url: string, method: string, signal: AbortSignal): Promise<Response> {
  const target = new URL(url);
  const https = target.protocol === "https:";
  const port = Number(target.port || (https ? 443 : 80));
  const hostname = target.hostname.replace(/^\[|\]$/g, "");
  return new Promise<Response>((resolve, reject) => {
    host.connect(hostname, port).then((stream) => {
      const socket = https ? tlsConnect({ socket: stream as never, servername: hostname }) : stream;
      const request = (https ? httpsRequest : httpRequest)(
        target,
        { method, signal, createConnection: () => socket as never, agent: false },
        (res) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string") headers.set(name, value);
            else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
          }
          const status = res.statusCode ?? 0;
          const body = NO_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          if (body === null) res.resume();
          resolve(new Response(body, { status, headers }));
        },
      );
      request.once("error", (error) => {
        stream.destroy();
        reject(error);
      });
      request.end();
    }, reject);
  });
}
