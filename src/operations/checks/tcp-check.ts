import { connect } from "node:net";
import type { Attempt, CheckSpec } from "./model.ts";

type TcpSpec = Extract<CheckSpec, { kind: "tcp" }>;

/** Whether a TCP connection to host:port opens (default: it must). */
export function tcpAttempt(spec: TcpSpec, signal: AbortSignal): Promise<Attempt> {
  const wantOpen = spec.open ?? true;
  const expected = `${spec.host}:${spec.port} ${wantOpen ? "accepts connections" : "refuses connections"}`;
  return new Promise((resolve) => {
    const socket = connect({ host: spec.host, port: spec.port });
    const done = (open: boolean, observed: string) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve({ ok: open === wantOpen, expected, observed });
    };
    const onAbort = () => done(false, "no answer in time");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => done(true, "it accepts connections"));
    socket.once("error", (error: NodeJS.ErrnoException) => done(false, `${error.code ?? error.message}`));
  });
}
