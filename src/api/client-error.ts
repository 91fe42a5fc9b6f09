import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger } from "fastify";
import { PROBLEM_MEDIA_TYPE } from "./problem-response.ts";
import { PROBLEMS } from "./problems.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";

/** What went wrong, by the HTTP parser's code; never the bytes received (they may hold secrets). */
const REASONS: Readonly<Record<string, string>> = {
  HPE_INVALID_METHOD: "the method is not a valid HTTP method",
  HPE_INVALID_URL: "the request target is not a valid URL path",
  HPE_INVALID_VERSION: "the HTTP version is not HTTP/1.0 or HTTP/1.1",
  HPE_INVALID_CONSTANT: "the request line is not METHOD TARGET HTTP/1.1",
  HPE_INVALID_HEADER_TOKEN: "a header name contains characters a header name may not",
  HPE_INVALID_CONTENT_LENGTH: "Content-Length is not a single whole number",
  HPE_UNEXPECTED_CONTENT_LENGTH: "Content-Length and Transfer-Encoding were both sent",
  HPE_INVALID_TRANSFER_ENCODING:
    "Transfer-Encoding came with Content-Length, or is not one this server reads (chunked, last)",
  HPE_INVALID_CHUNK_SIZE: "a chunk size of the chunked body is not a hexadecimal number",
  HPE_CR_EXPECTED: "a line does not end with CRLF",
  HPE_LF_EXPECTED: "a line does not end with CRLF",
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser cannot read never becomes a request,
 * so no hook, error handler or logger line runs for it, and the default answer is a bare 400. This
 * writes a minimal HTTP/1.1 response with a problem body instead — the same shape as every other
 * error, with a request id the server logs — and closes the connection, since after a parse
 * error nothing more on it can be trusted.
 */
export function clientErrorHandler(publicUrl: string | undefined) {
  return function onClientError(
    this: { log: FastifyBaseLogger },
    error: NodeJS.ErrnoException,
    socket: Socket,
  ): void {
    // A reset connection is gone: there is nobody to answer.
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const id = `req_${randomUUID().replaceAll("-", "")}`;
    const problem = problemFor(error.code, id, publicUrl);
    const body = JSON.stringify(problem);
    this.log.debug({ reqId: id, code: error.code }, "unreadable request");
    if (socket.writable) {
      const { status } = problem;
      const headers = {
        ...SECURITY_HEADERS,
        "content-type": PROBLEM_MEDIA_TYPE,
        "content-length": String(Buffer.byteLength(body)),
        "x-request-id": id,
        connection: "close",
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
    }
    // Whatever is still buffered goes out first; a peer that never reads is cut off.
    socket.once("finish", () => socket.destroy());
    setTimeout(() => socket.destroy(), 5000).unref();
  };
}

export function problemFor(code: string | undefined, id: string, publicUrl: string | undefined) {
  const instance = `urn:opsdojo:request:${id}`;
  if (code === "HPE_HEADER_OVERFLOW") {
    return {
      type: "about:blank",
      title: STATUS_CODES[431],
      status: 431,
      detail:
        "the request's headers are larger than this server reads (16 KiB); send fewer or smaller headers",
      instance,
    };
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return {
      type: "about:blank",
      title: STATUS_CODES[408],
      status: 408,
      detail: "the request did not arrive in time; send it again",
      instance,
    };
  }
  const spec = PROBLEMS["malformed-request"];
  // Without a request there is no Host to build an absolute type from; a configured public URL
  // gives one, else the type is a reference relative to this server (RFC 9457 §3.1.1).
  return {
    type: `${publicUrl?.replace(/\/+$/, "") ?? ""}/problems/malformed-request`,
    title: spec.title,
    status: spec.status,
    detail: `the request cannot be read as HTTP/1.1: ${REASONS[code ?? ""] ?? "the request line or headers are malformed"}`,
    instance,
  };
}
