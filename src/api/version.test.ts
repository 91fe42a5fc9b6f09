import { describe, expect, it } from "vitest";
import { ProblemError } from "./problem-error.ts";
import { API_VERSIONS, type ApiVersion, selectVersion } from "./version.ts";

const VERSIONS: readonly ApiVersion[] = [
  { version: "1.0.0", deprecatedAt: new Date("2026-01-01T00:00:00Z") },
  { version: "1.2.0" },
  { version: "1.2.3" },
  { version: "2.0.0" },
];

function refusal(header: string, versions = VERSIONS): ProblemError {
  try {
    const served = selectVersion(versions, header);
    throw new Error(`Accept-Version ${JSON.stringify(header)} was served ${served.version}`);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return error;
  }
}

describe("selectVersion (CB-03, CB-04)", () => {
  it("serves the latest version without Accept-Version, or with an empty one", () => {
    expect(selectVersion(VERSIONS, undefined).version).toBe("2.0.0");
    expect(selectVersion(VERSIONS, "").version).toBe("2.0.0");
    expect(selectVersion(VERSIONS, "   ").version).toBe("2.0.0");
  });

  it("serves the latest version with the requested major", () => {
    expect(selectVersion(VERSIONS, "1").version).toBe("1.2.3");
    expect(selectVersion(VERSIONS, "2").version).toBe("2.0.0");
  });

  it("serves the requested major with at least the requested minor (and patch)", () => {
    expect(selectVersion(VERSIONS, "1.0").version).toBe("1.2.3");
    expect(selectVersion(VERSIONS, "1.1").version).toBe("1.2.3");
    expect(selectVersion(VERSIONS, "1.2").version).toBe("1.2.3");
    expect(selectVersion(VERSIONS, "1.2.1").version).toBe("1.2.3");
    expect(selectVersion(VERSIONS, " 2.0 ").version).toBe("2.0.0");
    expect(selectVersion([{ version: "1.0.0" }, { version: "1.1.0" }], "1.0").version).toBe("1.1.0");
  });

  it("carries the schedule of a deprecated version", () => {
    const only1 = [VERSIONS[0] as ApiVersion];
    expect(selectVersion(only1, "1").deprecatedAt).toEqual(new Date("2026-01-01T00:00:00Z"));
  });

  it("refuses a version it does not serve, listing the supported ones", () => {
    for (const header of ["3", "1.3", "2.1", "1.2.4", "0"]) {
      const problem = refusal(header);
      expect(problem.slug).toBe("unsupported-api-version");
      expect(problem.status).toBe(400);
      expect(problem.message).toBe(
        `API version ${header} is not served; supported: 1.0.0, 1.2.0, 1.2.3, 2.0.0`,
      );
      expect(problem.extensions).toEqual({ supported_versions: ["1.0.0", "1.2.0", "1.2.3", "2.0.0"] });
    }
  });

  it("refuses what is not MAJOR or MAJOR.MINOR", () => {
    for (const header of ["abc", "v1", "1.x", "1.", ".1", "1.0.0.0", "1,2", "-1", "1 2", "latest"]) {
      const problem = refusal(header);
      expect(problem.slug, header).toBe("unsupported-api-version");
      expect(problem.message).toBe(
        `Accept-Version ${JSON.stringify(header)} is not MAJOR or MAJOR.MINOR; supported: 1.0.0, 1.2.0, 1.2.3, 2.0.0`,
      );
    }
  });

  it("quotes at most 40 characters of a malformed header", () => {
    const message = refusal("x".repeat(1000)).message;
    expect(message).toContain(`"${"x".repeat(40)}"`);
    expect(message).not.toContain("x".repeat(41));
  });

  it("serves 1.0.0 as this build's only version", () => {
    expect(API_VERSIONS.map((v) => v.version)).toEqual(["1.0.0"]);
    expect(selectVersion(API_VERSIONS, "1").version).toBe("1.0.0");
    expect(selectVersion(API_VERSIONS, "1.0").version).toBe("1.0.0");
    expect(refusal("2", API_VERSIONS).extensions).toEqual({ supported_versions: ["1.0.0"] });
  });
});
