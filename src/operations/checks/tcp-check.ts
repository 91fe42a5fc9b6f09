import { connect } from "node:net";
import type { Host } from "../hosts/index.ts";
import type { Attempt, CheckSpec } from "./model.ts";

type TcpSpec = Extract<CheckSpec, { kind: "tcp" }>;

/** Whether a TCP connection to host:port opens (default: it must). */
export function tcpAttempt(spec: TcpSpec, signal: AbortSignal, from?: Host): Promise<Attempt> {
  const wantOpen = spec.open ?? true;
  const expected = `${spec.host}:${spec.port} ${wantOpen ? "accepts connections" : "refuses connections"}${from ? ` from ${from.name}` : ""}`;
  if (from) return fromHost(spec, signal, from, wantOpen, expected);
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

/** The host opens the connection (an SSH direct-tcpip channel): what the target itself can reach. */
async function fromHost(
  spec: TcpSpec,
  signal: AbortSignal,
  from: Host,
  wantOpen: boolean,
  expected: string,
): Promise<Attempt> {
  const aborted = new Promise<Attempt>((resolve) => {
    const onAbort = () => resolve({ ok: !wantOpen, expected, observed: "no answer in time" });
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  const opened = from.connect(spec.host, spec.port).then(
    (stream): Attempt => {
      stream.destroy();
      return { ok: wantOpen, expected, observed: "it accepts connections" };
    },
    (error: Error & { code?: string }): Attempt => ({
      ok: !wantOpen && error.code === "ECONNREFUSED",
      expected,
      observed: error.message,
    }),
  );
  return Promise.race([opened, aborted]);
}
