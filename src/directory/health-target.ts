import { BlockList, isIP } from "node:net";
import { InvalidInputError } from "../core/index.ts";

/**
 * Which URLs the health poller may fetch. A registered `health_url` is fetched by the server,
 * from the server's network, every 30 s, and what comes back is shown to every `read` token: so
 * it may only point where the instance itself is (its origin) or at an origin the operator
 * allowed (`serve --health-allow`), and never at link-local or cloud metadata addresses, which
 * hand out the server's own credentials.
 */
export interface HealthPolicy {
  /** Extra origins (`https://status.example.com`) a health URL may point at. */
  readonly allow: readonly string[];
}

/** No origin besides each instance's own. */
export const DEFAULT_HEALTH_POLICY: HealthPolicy = { allow: [] };

/** Addresses no health probe connects to, whatever the policy: link-local and metadata services. */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, AWS/GCP/Azure metadata 169.254.169.254
FORBIDDEN.addSubnet("fe80::", 10, "ipv6"); // link-local
FORBIDDEN.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6
FORBIDDEN.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
FORBIDDEN.addAddress("192.0.0.192", "ipv4"); // Oracle Cloud metadata

/** Host names of metadata services; compared without a trailing dot and case-insensitively. */
const FORBIDDEN_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data"]);

/** Why this IP address is refused, or undefined when a probe may connect to it. */
export function forbiddenAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  if (!FORBIDDEN.check(address, family === 4 ? "ipv4" : "ipv6")) return undefined;
  return `${address} (a link-local or cloud metadata address)`;
}

/** Why this URL host (a name or an IP literal, as `URL.hostname` gives it) is refused. */
export function forbiddenHost(hostname: string): string | undefined {
  const bare = hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (FORBIDDEN_NAMES.has(bare)) return `${bare} (a cloud metadata host)`;
  return forbiddenAddress(bare);
}

export type HealthTarget =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string; readonly field: "health_url" | "base_url" };

/**
 * Decide, without the network, whether the poller may fetch `healthUrl` (absolute, or a path
 * under `baseUrl`) for an instance at `baseUrl`. The reasons never quote the URL: it may carry
 * credentials, and they are shown to `read` tokens.
 */
export function healthTarget(healthUrl: string, baseUrl: string, policy: HealthPolicy): HealthTarget {
  const base = parse(baseUrl);
  if (!base) return { ok: false, field: "base_url", reason: "the instance's base_url is not an http(s) URL" };
  const baseRefusal = refusal(base);
  if (baseRefusal) return { ok: false, field: "base_url", reason: `the instance's base_url ${baseRefusal}` };
  const absolute = /^https?:\/\//i.test(healthUrl);
  const url = parse(absolute ? healthUrl : `${baseUrl.replace(/\/+$/, "")}${healthUrl}`);
  if (!url) return { ok: false, field: "health_url", reason: "the health URL is not an http(s) URL" };
  const urlRefusal = refusal(url);
  if (urlRefusal) return { ok: false, field: "health_url", reason: `the health URL ${urlRefusal}` };
  if (url.origin !== base.origin && !policy.allow.includes(url.origin)) {
    return {
      ok: false,
      field: "health_url",
      reason: `the health URL's origin ${url.origin} is not the instance's (${base.origin}) nor in the server's allow-list; use a path on the instance, or start the server with --health-allow ${url.origin}`,
    };
  }
  return { ok: true, url };
}

function parse(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function refusal(url: URL): string | undefined {
  if (url.username || url.password) {
    return "carries credentials (user:password@host), which would be sent and shown; remove them";
  }
  const host = forbiddenHost(url.hostname);
  return host ? `points at ${host}` : undefined;
}

/** The policy from `--health-allow` when given, else `OPSDOJO_HEALTH_ALLOW`, else none. */
export function healthPolicyFrom(flag: string | undefined, env: NodeJS.ProcessEnv): HealthPolicy {
  if (flag !== undefined) return { allow: parseHealthAllow(flag, "--health-allow") };
  const fromEnv = env.OPSDOJO_HEALTH_ALLOW;
  return fromEnv ? { allow: parseHealthAllow(fromEnv, "OPSDOJO_HEALTH_ALLOW") } : DEFAULT_HEALTH_POLICY;
}

/**
 * The allow-list from `--health-allow` or `OPSDOJO_HEALTH_ALLOW`: comma-separated origins
 * (scheme://host[:port], nothing after it). Each is stored as `URL.origin` spells it, so
 * `https://a.example:443` and `https://A.example` both allow `https://a.example`.
 */
export function parseHealthAllow(text: string, source: string): string[] {
  const origins: string[] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    if (item === "") continue;
    const url = parse(item);
    if (
      !url ||
      url.username ||
      url.password ||
      (url.pathname !== "/" && url.pathname !== "") ||
      url.search ||
      url.hash
    ) {
      throw new InvalidInputError(
        `${source}: "${item.replace(/\/\/[^@/]*@/, "//…@")}" is not an origin; give scheme://host[:port] with nothing after it, e.g. https://status.example.com`,
      );
    }
    const host = forbiddenHost(url.hostname);
    if (host) throw new InvalidInputError(`${source}: ${url.origin} cannot be allowed: ${host}`);
    origins.push(url.origin);
  }
  return origins;
}
