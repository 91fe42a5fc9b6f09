import { describe, expect, it } from "vitest";
import { parseOperation } from "../loader/index.ts";
import { NotASecretError, SecretRequiredError, SecretSourceError } from "./errors.ts";
import { supplySecrets } from "./supply.ts";

const op = (source = "") =>
  parseOperation(
    `opsdojo: operation/v1
name: secretive
params:
  token: { type: string, secret: true${source} }
  release: { type: string }
steps:
  - { name: a, uses: noop }
`,
    "secretive.yaml",
  );

const stored = { token: "«secret:token»", release: "v2" };
const reader = (env: Record<string, string>, files: Record<string, string> = {}) => ({
  env,
  readFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return text;
  },
});

describe("supplySecrets", () => {
  it("fails naming the missing secret and how to pass it", () => {
    const attempt = () => supplySecrets({ runId: "run_1", operation: op(), stored, reader: reader({}) });
    expect(attempt).toThrow(SecretRequiredError);
    expect(attempt).toThrow(/secret param token again.*--param token=…/);
    const api = () =>
      supplySecrets({ runId: "run_1", operation: op(), stored, how: "api", reader: reader({}) });
    expect(api).toThrow(/"params": \{"token": "…"\}/);
  });

  it("takes the secret from the caller, else from its source", () => {
    expect(supplySecrets({ runId: "r", operation: op(), stored, given: { token: "t1" } })).toEqual({
      token: "t1",
      release: "v2",
    });
    const fromEnv = supplySecrets({
      runId: "r",
      operation: op(", source: env:TOK"),
      stored,
      reader: reader({ TOK: "t2" }),
    });
    expect(fromEnv.token).toBe("t2");
    const fromFile = supplySecrets({
      runId: "r",
      operation: op(", source: file:/run/secrets/tok"),
      stored,
      reader: reader({}, { "/run/secrets/tok": "t3\n" }),
    });
    expect(fromFile.token).toBe("t3");
  });

  it("says which source failed without quoting anything it read", () => {
    const attempt = () =>
      supplySecrets({ runId: "r", operation: op(", source: file:/nope"), stored, reader: reader({}) });
    expect(attempt).toThrow(SecretSourceError);
    expect(attempt).toThrow("secret param token: its source file:/nope cannot be read (ENOENT)");
  });

  it("refuses params that are not secret: a run goes on with the params it ran with", () => {
    const attempt = () =>
      supplySecrets({ runId: "r", operation: op(), stored, given: { token: "t", release: "v3" } });
    expect(attempt).toThrow(NotASecretError);
    expect(attempt).toThrow(/release is not secret/);
  });

  it("needs no secret the run never had", () => {
    expect(
      supplySecrets({ runId: "r", operation: op(), stored: { release: "v2" }, reader: reader({}) }),
    ).toEqual({
      release: "v2",
    });
  });
});
