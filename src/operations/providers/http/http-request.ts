import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionProvider } from "../provider.ts";

export interface HttpRequestInput {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as-is; anything else as JSON. */
  readonly body?: unknown;
  /** The status that means success (default: any 2xx). */
  readonly status?: number;
}

export interface HttpRequestOutput extends Record<string, unknown> {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Parsed JSON when the answer is JSON, else the text (at most 1 MiB). */
  readonly body: unknown;
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const MAX_BODY = 1024 * 1024;

/**
 * `http.request {method, url, headers?, body?, status?}`. Its output (status, headers, body) is
 * available to later steps and to an explicit undo as `${steps.<name>.output.body.<field>}`;
 * there is no automatic undo.
 */
export const httpRequest: ActionProvider<HttpRequestInput, null, HttpRequestOutput> = {
  action: "http.request",

  validate(input) {
    let url: URL;
    try {
      url = new URL(String(input.url));
    } catch {
      throw new ActionInputError("http.request", "url", `${JSON.stringify(input.url)} is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new ActionInputError("http.request", "url", "must be http:// or https://");
    if (input.method !== undefined && !METHODS.includes(input.method.toUpperCase())) {
      throw new ActionInputError("http.request", "method", `must be one of ${METHODS.join(", ")}`);
    }
    if (
      input.status !== undefined &&
      (!Number.isInteger(input.status) || input.status < 100 || input.status > 599)
    ) {
      throw new ActionInputError("http.request", "status", "must be an HTTP status code (100-599)");
    }
  },

  async describe(input) {
    return [
      {
        resource: `${(input.method ?? "GET").toUpperCase()} ${input.url}`,
        change: "unknown",
        detail: "an HTTP request's effects are the server's",
      },
    ];
  },

  async capture() {
    return null;
  },

  async act(input, _pre, ctx) {
    const method = (input.method ?? "GET").toUpperCase();
    const headers: Record<string, string> = { ...input.headers };
    let body: string | undefined;
    if (input.body !== undefined) {
      if (typeof input.body === "string") body = input.body;
      else {
        body = JSON.stringify(input.body);
        headers["content-type"] ??= "application/json";
      }
    }
    let response: Response;
    try {
      response = await fetch(input.url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: "manual",
        signal: ctx.signal,
      });
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      throw new ActionFailedError(
        "http.request",
        `${method} ${input.url}: no response (${e.cause?.code ?? e.cause?.message ?? e.message})`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    const text = (await response.text()).slice(0, MAX_BODY);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      responseHeaders[k] = v;
    });
    let parsed: unknown = text;
    if (/json/i.test(responseHeaders["content-type"] ?? "")) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const ok =
      input.status === undefined
        ? response.status >= 200 && response.status < 300
        : response.status === input.status;
    if (!ok) {
      throw new ActionFailedError(
        "http.request",
        `${method} ${input.url} answered ${response.status}, expected ${input.status ?? "2xx"}: ${text.slice(0, 200)}`,
        { retryable: response.status >= 500 || response.status === 429 },
      );
    }
    return { status: response.status, headers: responseHeaders, body: parsed };
  },

  async undo() {
    return {
      restored: false,
      reason: "http.request has no automatic undo; declare one with undo: {uses, with}",
    };
  },
};
