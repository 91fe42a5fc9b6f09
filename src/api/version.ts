import { ProblemError } from "./problem-error.ts";

/** One served version of the API, with its deprecation schedule if it has one. */
export interface ApiVersion {
  /** `MAJOR.MINOR.PATCH`. */
  readonly version: string;
  readonly deprecatedAt?: Date;
  readonly sunsetAt?: Date;
}

/** The versions this build serves, oldest first. The last one is the latest and the default. */
export const API_VERSIONS: readonly ApiVersion[] = [{ version: "1.0.0" }];

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;
const REQUESTED = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

function parts(version: string): [number, number, number] {
  const m = SEMVER.exec(version);
  if (!m) throw new Error(`API version ${version} is not MAJOR.MINOR.PATCH`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * Choose the version to serve for an `Accept-Version` header: the latest served version with
 * the requested major and at least the requested minor (and patch). No header → the latest.
 */
export function selectVersion(versions: readonly ApiVersion[], header: string | undefined): ApiVersion {
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error("no API versions configured");
  if (header === undefined || header.trim() === "") return latest;
  const m = REQUESTED.exec(header.trim());
  const supported = versions.map((v) => v.version);
  if (!m) {
    throw new ProblemError(
      "unsupported-api-version",
      `Accept-Version "${header.slice(0, 40)}" is not MAJOR or MAJOR.MINOR; supported: ${supported.join(", ")}`,
      { extensions: { supported_versions: supported } },
    );
  }
  const want = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] as const;
  for (let i = versions.length - 1; i >= 0; i--) {
    const candidate = versions[i] as ApiVersion;
    const [major, minor, patch] = parts(candidate.version);
    if (major !== want[0]) continue;
    if (minor > want[1] || (minor === want[1] && patch >= want[2])) return candidate;
  }
  throw new ProblemError(
    "unsupported-api-version",
    `API version ${header.trim()} is not served; supported: ${supported.join(", ")}`,
    { extensions: { supported_versions: supported } },
  );
}
