/**
 * Server-sent events over fetch (EventSource cannot send the bearer header). Messages are parsed
 * as the SSE format says (`id:`, `event:`, `data:`, `retry:`, comments, blank line ends a
 * message); a dropped stream reconnects with `Last-Event-ID`, and 204 means it is over.
 */
import { authHeaders, problem } from "./api.ts";
import { sleep } from "./poll.ts";
import type { ViewContext } from "./view.ts";

export interface StreamMessage {
  readonly id: string;
  readonly event: string;
  readonly data: string;
}

/** A parser fed chunks split anywhere; `retry` is the last reconnection delay the server asked for. */
export interface MessageParser {
  retry: number;
  push(chunk: string): void;
}

export function messageParser(dispatch: (message: StreamMessage) => void): MessageParser {
  let buffer = "";
  let data: string[] = [];
  let event = "";
  let id = "";
  const state: MessageParser = {
    retry: 2000,
    push(chunk) {
      buffer += chunk;
      for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
        let line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        if (line.endsWith("\r")) line = line.slice(0, -1);
        if (line === "") {
          if (data.length > 0) dispatch({ id, event: event || "message", data: data.join("\n") });
          data = [];
          event = "";
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "data") data.push(value);
        else if (field === "event") event = value;
        else if (field === "id" && !value.includes("\0")) id = value;
        else if (field === "retry" && /^[0-9]+$/.test(value)) state.retry = Number(value);
      }
    },
  };
  return state;
}

/** Follow a stream until it is over (204) or the view is left; onMessage gets each message. */
export async function follow(
  url: string,
  ctx: ViewContext,
  onMessage: (message: StreamMessage) => void,
): Promise<void> {
  let lastId = "";
  let retry = 2000;
  while (!ctx.signal.aborted) {
    try {
      const headers = authHeaders({ accept: "text/event-stream" });
      if (lastId) headers["last-event-id"] = lastId;
      const response = await fetch(url, { headers, signal: ctx.signal, cache: "no-store" });
      if (response.status === 204) return;
      if (!response.ok || !response.body) throw await problem(response);
      const parser = messageParser((message) => {
        if (message.id) lastId = message.id;
        onMessage(message);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      ctx.report(null);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        retry = parser.retry;
      }
    } catch (error) {
      if (ctx.signal.aborted) return;
      ctx.report(error);
    }
    await sleep(retry, ctx.signal);
  }
}
