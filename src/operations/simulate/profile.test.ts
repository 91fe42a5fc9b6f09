import { describe, expect, it } from "vitest";
import { ProfileError } from "./errors.ts";
import { parseProfile } from "./profile.ts";

describe("parseProfile", () => {
  it("reads declared steps, actions, correlated failures and the steady state", () => {
    const profile = parseProfile(
      [
        "opsdojo: simulation-profile/v1",
        "steps:",
        "  deploy: { duration: { median: 40s, sigma: 0.5 }, fail_rate: 0.01, undo: 20s }",
        "actions:",
        "  shell.run: { duration: { min: 1s, max: 3s }, check_latency: 500ms }",
        "correlated: { batch_rate: 0.01, fail_rate: 0.5 }",
        "steady_state: { fail_rate: 0.001, latency: 5s }",
      ].join("\n"),
      "p.yaml",
    );
    expect(profile.steps.get("deploy")).toEqual({
      duration: { kind: "lognormal", medianMs: 40_000, sigma: 0.5 },
      failRate: 0.01,
      undo: { kind: "fixed", ms: 20_000 },
    });
    expect(profile.actions.get("shell.run")).toEqual({
      duration: { kind: "uniform", minMs: 1000, maxMs: 3000 },
      checkLatency: { kind: "fixed", ms: 500 },
    });
    expect(profile.correlated).toEqual({ batchRate: 0.01, failRate: 0.5 });
    expect(profile.steadyState).toEqual({ failRate: 0.001, latency: { kind: "fixed", ms: 5000 } });
  });

  it("says which file and line is wrong, and what was expected", () => {
    const wrong = (text: string) => {
      try {
        parseProfile(text, "p.yaml");
      } catch (error) {
        expect(error).toBeInstanceOf(ProfileError);
        return (error as Error).message;
      }
      throw new Error("no error");
    };
    expect(wrong("steps:\n  deploy:\n    fail_rate: 3\n")).toBe(
      "p.yaml:3: steps.deploy.fail_rate: expected a probability from 0 to 1",
    );
    expect(wrong("steps:\n  deploy: { duraton: 2s }\n")).toBe(
      "p.yaml:2: steps.deploy.duraton: unknown field; expected one of duration, fail_rate, retry_fail_rate, check_fail_rate, check_latency, undo",
    );
    expect(wrong("steps:\n  deploy: { duration: soon }\n")).toMatch(
      /^p\.yaml:2: steps\.deploy\.duration: expected a duration/,
    );
    expect(wrong("opsdojo: operation/v1\n")).toBe("p.yaml:1: opsdojo: expected simulation-profile/v1");
    expect(wrong("steps: [\n")).toMatch(/^p\.yaml:\d+: not valid YAML/);
  });
});
