import { createHash, createHmac } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** One line of an OpenSSH known_hosts file, as far as opsdojo uses it. */
export interface KnownHost {
  readonly patterns: readonly string[];
  /** `|1|salt|hash` entries (HashKnownHosts yes): matched by HMAC-SHA1 of the name. */
  readonly hashed?: { readonly salt: Buffer; readonly hash: Buffer };
  readonly marker?: "revoked" | "cert-authority";
  readonly keyType: string;
  readonly key: string;
}

export type HostKeyVerdict = "known" | "unknown" | "changed" | "revoked";

/** The name a host is recorded under: `host` on port 22, `[host]:port` otherwise (as OpenSSH). */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type written in the key blob itself (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(keyBlob: Buffer): string {
  const length = keyBlob.length >= 4 ? keyBlob.readUInt32BE(0) : 0;
  return keyBlob.subarray(4, 4 + length).toString("latin1");
}

/** Reads known_hosts lines; comments, blank and malformed lines are passed over, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const words = raw.trim().split(/\s+/);
    if (words[0] === undefined || words[0] === "" || words[0].startsWith("#")) continue;
    let marker: KnownHost["marker"];
    if (words[0] === "@revoked" || words[0] === "@cert-authority") {
      marker = words[0] === "@revoked" ? "revoked" : "cert-authority";
      words.shift();
    }
    const [names, keyType, key] = words;
    if (names === undefined || keyType === undefined || key === undefined) continue;
    const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(names);
    out.push({
      patterns: hashed === null ? names.split(",") : [],
      ...(hashed === null
        ? {}
        : {
            hashed: {
              salt: Buffer.from(hashed[1] ?? "", "base64"),
              hash: Buffer.from(hashed[2] ?? "", "base64"),
            },
          }),
      ...(marker === undefined ? {} : { marker }),
      keyType,
      key,
    });
  }
  return out;
}

function wildcard(pattern: string, name: string): boolean {
  const body = pattern
    .replace(/[.+^${}()|\\[\]]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i").test(name);
}

function matches(entry: KnownHost, name: string): boolean {
  if (entry.hashed !== undefined) {
    return createHmac("sha1", entry.hashed.salt).update(name).digest().equals(entry.hashed.hash);
  }
  // A negated pattern that matches excludes the line whatever else matches (OpenSSH's rule).
  if (entry.patterns.some((p) => p.startsWith("!") && wildcard(p.slice(1), name))) return false;
  return entry.patterns.some((p) => !p.startsWith("!") && wildcard(p, name));
}

/**
 * Judges a host's key against known_hosts: `known` when a line for the name has this key,
 * `revoked` when the key is marked so, `changed` when lines for the name exist with other keys
 * of the same type (or only other types: OpenSSH refuses those too), `unknown` otherwise.
 */
export function judgeHostKey(
  entries: readonly KnownHost[],
  host: string,
  port: number,
  keyBlob: Buffer,
): HostKeyVerdict {
  const name = knownHostName(host, port);
  const key = keyBlob.toString("base64");
  const lines = entries.filter((e) => e.marker !== "cert-authority" && matches(e, name));
  if (lines.some((e) => e.marker === "revoked" && e.key === key)) return "revoked";
  if (lines.some((e) => e.marker === undefined && e.key === key)) return "known";
  return lines.some((e) => e.marker === undefined) ? "changed" : "unknown";
}

export async function readKnownHosts(file: string): Promise<KnownHost[]> {
  try {
    return parseKnownHosts(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The key type as `ssh-keygen -l` names it: `ED25519`, `ECDSA`, `RSA`, `ED25519-SK`… */
export function keyTypeLabel(keyType: string): string {
  const security = keyType.startsWith("sk-") ? "-SK" : "";
  const bare = keyType.replace(/^sk-/, "");
  if (bare.startsWith("ssh-ed25519")) return `ED25519${security}`;
  if (bare.startsWith("ecdsa-")) return `ECDSA${security}`;
  if (bare.startsWith("ssh-rsa")) return "RSA";
  if (bare.startsWith("ssh-dss")) return "DSA";
  return keyType;
}

/** What `--accept-new-host-keys` wrote, for the run's output (`describeRecordedHostKey`). */
export interface HostKeyRecord {
  /** The host's name in the inventory. */
  readonly name: string;
  /** The name the line was written under: `host`, or `[host]:port`. */
  readonly recordedAs: string;
  /** `ED25519`, `ECDSA`, `RSA`… as ssh-keygen prints it. */
  readonly keyType: string;
  readonly fingerprint: string;
  readonly file: string;
}

/** `accepted new host key for web01 (ED25519 SHA256:…) into ~/.ssh/known_hosts`. */
export function describeRecordedHostKey(record: HostKeyRecord): string {
  return `accepted new host key for ${record.name} (${record.keyType} ${record.fingerprint}) into ${record.file}`;
}

// Appends to one file go one after the other, so hosts accepted in parallel each get one line.
const appending = new Map<string, Promise<unknown>>();

/**
 * Records a host's key (for `--accept-new-host-keys`), creating the file private if needed.
 * The file is read again first: a key another connection (or process) recorded meanwhile is
 * not written twice, and a different key recorded meanwhile is refused as changed. Returns
 * `recorded`, or what was found there instead (`known`, `changed`, `revoked`).
 */
export function recordHostKey(
  file: string,
  host: string,
  port: number,
  keyBlob: Buffer,
): Promise<"recorded" | Exclude<HostKeyVerdict, "unknown">> {
  const previous = appending.get(file) ?? Promise.resolve();
  const next = previous.then(async () => {
    const verdict = judgeHostKey(await readKnownHosts(file), host, port, keyBlob);
    if (verdict !== "unknown") return verdict;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const line = `${knownHostName(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString("base64")}\n`;
    await appendFile(file, line, { mode: 0o600 });
    return "recorded" as const;
  });
  const settled = next.catch(() => {});
  appending.set(file, settled);
  void settled.then(() => {
    if (appending.get(file) === settled) appending.delete(file);
  });
  return next;
}
