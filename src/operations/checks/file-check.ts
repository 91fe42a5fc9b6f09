import { createHash } from "node:crypto";
import { OpsdojoError, quote } from "../../core/index.ts";
import { type FileSystem, type Host, localFs } from "../hosts/index.ts";
import type { Attempt, CheckSpec } from "./model.ts";

type FileSpec = Extract<CheckSpec, { kind: "file" }>;

/** Existence (default: must exist), content containing a string, or an exact SHA-256. */
export async function fileAttempt(spec: FileSpec, host?: Host): Promise<Attempt> {
  const wantExists = spec.exists ?? true;
  const parts = [wantExists ? "exists" : "does not exist"];
  if (spec.contains !== undefined) parts.push(`contains ${quote(spec.contains)}`);
  if (spec.sha256 !== undefined) parts.push(`has SHA-256 ${spec.sha256}`);
  const expected = `${spec.path} ${parts.join(" and ")}`;
  let fs: FileSystem = localFs;
  let exists = true;
  try {
    if (host) fs = await host.fs();
    exists = (await fs.lstat(spec.path)) !== undefined;
  } catch (error) {
    // Ours (a host that cannot be reached) says itself what happened; an errno is named.
    if (error instanceof OpsdojoError) return { ok: false, expected, observed: error.message };
    return { ok: false, expected, observed: `cannot be read: ${(error as NodeJS.ErrnoException).code}` };
  }
  if (!exists || !wantExists) {
    return { ok: exists === wantExists, expected, observed: exists ? "it exists" : "it does not exist" };
  }
  if (spec.contains === undefined && spec.sha256 === undefined)
    return { ok: true, expected, observed: "it exists" };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(spec.path);
  } catch (error) {
    return { ok: false, expected, observed: `cannot be read: ${(error as NodeJS.ErrnoException).code}` };
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const containsOk = spec.contains === undefined || bytes.toString("utf8").includes(spec.contains);
  const hashOk = spec.sha256 === undefined || hash === spec.sha256.toLowerCase();
  const observed = [
    containsOk ? undefined : `it does not contain ${quote(spec.contains)}`,
    hashOk ? undefined : `its SHA-256 is ${hash}`,
  ]
    .filter(Boolean)
    .join("; ");
  return { ok: containsOk && hashOk, expected, observed: observed || "as expected" };
}
