import { isIP } from "node:net";

/** Whether only this machine can connect to an address the server binds. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/** `http://address:port` for an address as Node reports it (IPv6 in brackets). */
export function httpUrl(address: string, port: number): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

/** What `serve` says when it listens beyond this machine; undefined on loopback. */
export function exposureWarning(
  host: string,
  listenUrl: string,
  publicUrl: string | undefined,
): string | undefined {
  if (isLoopback(host)) return undefined;
  const where = host === "0.0.0.0" || host === "::" ? "every network interface" : host;
  const advice = publicUrl
    ? "Use the default --host 127.0.0.1 unless you mean it; to serve others, put a TLS proxy in front."
    : "Use the default --host 127.0.0.1 unless you mean it; to serve others, put a TLS proxy in front and set --public-url to the address they use.";
  return `listening on ${listenUrl} (${where}): anyone who can reach this machine can reach the API and the dashboard, with tokens as the only guard, over plain HTTP. ${advice}`;
}
