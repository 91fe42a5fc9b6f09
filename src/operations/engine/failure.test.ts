import { describe, expect, it } from "vitest";
import { OpsdojoError } from "../../core/index.ts";
import { PathLockedError } from "../locks/index.ts";
import { ActionFailedError } from "../providers/errors.ts";
import { S3RequestError } from "../providers/s3/errors.ts";
import { codesOf, failureJson, stepFailure, storedFailure } from "./failure.ts";

const at = { target: "app-1", step: "write" } as const;

describe("the codes of an error", () => {
  it("ours first, the errno under it as the cause, and whether a retry can help", () => {
    const errno = Object.assign(new Error("EACCES: permission denied, open '/srv/x'"), { code: "EACCES" });
    const wrapped = new ActionFailedError("file.write", errno.message, { retryable: false, cause: errno });
    expect(codesOf(wrapped)).toEqual({ code: "action_failed", cause: "EACCES", retryable: false });
    expect(codesOf(new PathLockedError("/srv/x", { runId: "run_1", owner: "h:1" }, 0))).toEqual({
      code: "path_locked",
      retryable: true,
    });
  });

  it("an AWS error's name, as the S3 error keeps it or as the SDK threw it", () => {
    const sdk = Object.assign(new Error("The AWS Access Key Id you provided does not exist"), {
      name: "InvalidAccessKeyId",
      $metadata: { httpStatusCode: 403 },
    });
    expect(codesOf(new S3RequestError("s3.put_object", { bucket: "b", key: "k" }, "writing", sdk))).toEqual({
      code: "s3_request_failed",
      cause: "InvalidAccessKeyId",
      retryable: false,
    });
    expect(codesOf(sdk)).toEqual({ code: "InvalidAccessKeyId", retryable: false });
  });

  it("a plain error: the errno of its cause, and nothing said about retrying", () => {
    const fetchFailed = new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    expect(codesOf(fetchFailed)).toEqual({ code: "ECONNREFUSED" });
    expect(codesOf(new Error("odd"))).toEqual({});
    expect(codesOf("a thrown string")).toEqual({});
  });
});

describe("a step failure as data", () => {
  it("is built with its kind, phase and the codes of the error behind it", () => {
    const error = new OpsdojoError("action_input_invalid", "file.write: path: must be absolute", {
      kind: "invalid",
    });
    expect(stepFailure({ ...at, kind: "input", phase: "prepare" }, error.message, { error })).toEqual({
      ...at,
      kind: "input",
      phase: "prepare",
      code: "action_input_invalid",
      retryable: false,
      message: "file.write: path: must be absolute",
    });
  });

  it("reads back what it stored, field for field, through JSON", () => {
    const failure = stepFailure({ ...at, kind: "check", phase: "post" }, "post-condition http failed", {
      check: { name: "http", ok: false, expected: "HTTP 200", observed: "HTTP 500", attempts: 3, ms: 12 },
    });
    expect(storedFailure(JSON.parse(JSON.stringify(failure)))).toEqual(failure);
  });

  it("reads rows written before failures were typed (only `reason`), working out kind and phase once", () => {
    const old = (reason: string, extra: Record<string, unknown> = {}) =>
      storedFailure({ ...at, reason, ...extra });
    expect(old("post-condition http://x failed: expected HTTP 200, observed HTTP 500")).toMatchObject({
      kind: "check",
      phase: "post",
      message: "post-condition http://x failed: expected HTTP 200, observed HTTP 500",
    });
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an operation file's reference, as the engine wrote it
      old("pre-condition cannot be evaluated: ${steps.a.output.x}: nothing is known as x"),
    ).toMatchObject({
      kind: "reference",
      phase: "pre",
    });
    expect(old("the run was stopped (Ctrl-C or a stop request) during this step (killed)")).toMatchObject({
      kind: "stopped",
    });
    expect(old("timed out after 1s")).toMatchObject({ kind: "timeout", phase: "act" });
    expect(old("/srv/x is being changed by run run_1 (process h:1); waited 0 ms")).toMatchObject({
      kind: "locked",
      phase: "prepare",
    });
    expect(old("file.write: path: must be absolute")).toMatchObject({ kind: "input", phase: "prepare" });
    expect(old("shell.run: exited with 1: boom")).toMatchObject({ kind: "action", phase: "act" });
    expect(
      storedFailure({
        target: "app-1",
        step: "steady_state",
        reason: "the steady state fails before the run: x",
      }),
    ).toMatchObject({ kind: "check", phase: "steady_state_before" });
    expect(storedFailure({ target: "-", step: "params", reason: "the run cannot start" })).toMatchObject({
      kind: "secret",
      phase: "start",
    });
    expect(storedFailure("not a failure")).toBeUndefined();
    expect(storedFailure({ reason: "no target" })).toBeUndefined();
  });

  it("shows the message as `reason` in the API and --json, beside its kind and codes", () => {
    const failure = stepFailure({ ...at, kind: "timeout", phase: "act" }, "timed out after 1s");
    expect(failureJson(failure)).toEqual({
      ...at,
      kind: "timeout",
      phase: "act",
      reason: "timed out after 1s",
    });
  });
});
