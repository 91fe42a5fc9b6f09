import { describe, expect, it } from "vitest";
import { type Candidate, type CauseInput, rankCauses } from "./causes.ts";
import type { Deviation, FailurePoint, ProbeResult } from "./model.ts";
import { recoveryFor, rerunCommand } from "./recovery.ts";

const noHistory: Deviation = {
  compared_runs: 0,
  notes: ["no history"],
  skipped_steps: [],
  unusual_durations: [],
  changed_params: [],
  failing_step_passed_before: 0,
};

const probe = (
  kind: ProbeResult["kind"],
  ok: boolean,
  answer: string,
  facts: ProbeResult["facts"],
): ProbeResult => ({
  kind,
  question: `${kind}?`,
  ok,
  answer,
  ms: 1,
  facts,
});

const input = (point: FailurePoint, probes: ProbeResult[], extra: Partial<CauseInput> = {}): CauseInput => ({
  point,
  probes,
  deviation: noHistory,
  context: [],
  answeredEarlier: [],
  ...extra,
});

const s3Failure = (reason: string): FailurePoint => ({
  target: "local",
  step: "upload",
  phase: "action",
  action: "s3.put_object",
  kind: "action",
  reason,
  subject: { kind: "aws", service: "s3", endpoint: "http://127.0.0.1:4569" },
});

describe("ranking causes by the evidence", () => {
  it("AWS: a throttled call is ranked first, and trying again is the recovery", () => {
    const ranked = rankCauses(
      input(
        {
          target: "local",
          step: "drain",
          phase: "action",
          action: "elbv2.deregister_targets",
          kind: "action",
          reason:
            "elbv2.deregister_targets: deregistering targets from target group arn:tg: Throttling: Rate exceeded",
        },
        [],
      ),
    );
    expect(ranked[0]).toMatchObject({
      id: "throttled",
      title: "AWS throttled the API calls of drain",
      transient: true,
    });
    const ctx = { runId: "r1", status: "paused" as const, operation: "release", params: {} };
    expect(recoveryFor(ranked[0] as Candidate, ctx)).toMatchObject({
      kind: "retry",
      command: "opsdojo runs resume r1",
    });
  });

  it("AWS: a refused signature is a bad credential, first", () => {
    const ranked = rankCauses(
      input(
        s3Failure(
          "s3.put_object: putting s3://b/k: SignatureDoesNotMatch: The request signature we calculated does not match",
        ),
        [
          probe("aws_credentials", true, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set", {
            env_credentials: true,
          }),
          probe("tcp", true, "it accepts connections", { host: "127.0.0.1", port: 4569, open: true }),
        ],
      ),
    );
    expect(ranked[0]).toMatchObject({ id: "bad_credential" });
    expect(ranked[0]?.evidence[0]).toContain("SignatureDoesNotMatch");
  });

  it("AWS: no credentials anywhere is a bad credential; an endpoint that refuses is unreachable", () => {
    const missing = rankCauses(
      input(s3Failure("s3.create_bucket: creating bucket b: Error: unexpected"), [
        probe("aws_credentials", false, "no AWS_ACCESS_KEY_ID…", {
          env_credentials: false,
          credentials_file: false,
        }),
        probe("tcp", true, "it accepts connections", { host: "127.0.0.1", port: 4569, open: true }),
      ]),
    );
    expect(missing[0]?.id).toBe("bad_credential");
    const down = rankCauses(
      input(
        s3Failure("s3.create_bucket: creating bucket b: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4569"),
        [
          probe("aws_credentials", true, "set", { env_credentials: true }),
          probe("tcp", false, "it does not accept connections (ECONNREFUSED)", {
            host: "127.0.0.1",
            port: 4569,
            open: false,
            code: "ECONNREFUSED",
          }),
        ],
      ),
    );
    expect(down[0]).toMatchObject({
      id: "endpoint_unreachable",
      title: "the AWS endpoint 127.0.0.1:4569 cannot be reached",
    });
  });

  const httpPoint = (observed: string, url = "http://api.internal:8080/health"): FailurePoint => ({
    target: "app-1",
    step: "verify",
    phase: "post",
    kind: "check",
    reason: `post-condition failed: ${observed}`,
    check: { name: `http ${url}`, kind: "http", expected: "HTTP 200 from GET", observed },
    subject: { kind: "http", url, method: "GET", from: "check" },
  });

  it("a host that does not resolve: a DNS failure, and nothing about ports", () => {
    const ranked = rankCauses(
      input(httpPoint("no response: ENOTFOUND"), [
        probe("dns", false, "it does not resolve (ENOTFOUND)", {
          host: "api.internal",
          resolves: false,
          code: "ENOTFOUND",
        }),
        probe("tcp", false, "it does not accept connections (ENOTFOUND)", { open: false, code: "ENOTFOUND" }),
      ]),
    );
    expect(ranked[0]).toMatchObject({ id: "dns_failure", title: "api.internal does not resolve" });
    expect(ranked.map((c) => c.id)).not.toContain("nothing_listening");
  });

  it("a port that accepts connections but never answers HTTP: a hung or slow service", () => {
    const ranked = rankCauses(
      input(httpPoint("no response: no answer in time", "http://127.0.0.1:8080/health"), [
        probe("tcp", true, "it accepts connections", { host: "127.0.0.1", port: 8080, open: true }),
        probe("http", false, "no answer in 2000 ms", { timed_out: true }),
      ]),
    );
    expect(ranked[0]?.id).toBe("timeout");
    expect(ranked[0]?.title).toContain("accepts connections but does not answer HTTP");
  });

  it("a run stopped by a person, a reference that does not resolve", () => {
    const stopped = rankCauses(
      input({ target: "a", step: "s", phase: "action", kind: "stopped", reason: "the run was stopped" }, []),
    );
    expect(stopped[0]?.id).toBe("stopped_by_user");
    const reference = rankCauses(
      input(
        {
          target: "a",
          step: "s",
          phase: "post",
          kind: "reference",
          reason:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: an operation file's reference, as the engine reports it
            'post-condition cannot be evaluated: ${steps.x.output.port}: nothing is known as "port" here',
        },
        [],
      ),
    );
    expect(reference[0]?.id).toBe("bad_reference");
  });

  it("a write refused with EACCES: permission denied first, even though the file is also missing", () => {
    const ranked = rankCauses(
      input(
        {
          target: "local",
          step: "write",
          phase: "action",
          action: "file.write",
          kind: "action",
          reason: "file.write: EACCES: permission denied, open '/srv/ro/app.conf'",
          subject: { kind: "file", path: "/srv/ro/app.conf", from: "action" },
        },
        [
          probe("file", false, "it does not exist; its directory /srv/ro does", {
            exists: false,
            parent: "/srv/ro",
            parent_exists: true,
            creatable: false,
            uid: 1000,
          }),
        ],
      ),
    );
    expect(ranked[0]).toMatchObject({
      id: "permission_denied",
      title: "permission denied on /srv/ro/app.conf",
    });
  });

  it("a step's command that fails on a missing file: the file is named", () => {
    const ranked = rankCauses(
      input(
        {
          target: "local",
          step: "load",
          phase: "action",
          action: "shell.run",
          kind: "action",
          reason:
            '"cat /etc/app/seed.sql | psql" exited with 1: cat: /etc/app/seed.sql: No such file or directory',
          subject: { kind: "command", command: "cat /etc/app/seed.sql | psql", from: "action" },
        },
        [probe("executable", true, "found at /usr/bin/cat", { program: "cat", found: true, exists: true })],
      ),
    );
    expect(ranked[0]).toMatchObject({
      id: "missing_file",
      title: "a file the command needs is missing: /etc/app/seed.sql",
    });
  });

  it("by kind and code, whatever the message says: new wording diagnoses the same", () => {
    const at = { target: "a", step: "s" };
    const reworded = "worded as nobody wrote it before";
    const top = (point: FailurePoint, probes: ProbeResult[] = []) => rankCauses(input(point, probes))[0]?.id;
    expect(top({ ...at, phase: "action", kind: "stopped", reason: reworded })).toBe("stopped_by_user");
    expect(top({ ...at, phase: "post", kind: "reference", reason: reworded })).toBe("bad_reference");
    expect(
      top({ ...at, phase: "action", kind: "input", code: "action_input_invalid", reason: reworded }),
    ).toBe("invalid_input");
    expect(top({ ...at, phase: "action", kind: "timeout", reason: reworded })).toBe("timeout");
    expect(top({ ...at, phase: "action", kind: "action", code: "EACCES", reason: reworded })).toBe(
      "permission_denied",
    );
    expect(
      top({ ...s3Failure(reworded), code: "s3_request_failed", cause: "InvalidAccessKeyId" }, [
        probe("tcp", true, "it accepts connections", { host: "127.0.0.1", port: 4569, open: true }),
      ]),
    ).toBe("bad_credential");
    expect(
      top(
        {
          ...at,
          phase: "action",
          action: "file.write",
          kind: "action",
          code: "action_failed",
          cause: "EACCES",
          reason: reworded,
          subject: { kind: "file", path: "/srv/ro/app.conf", from: "action" },
        },
        [probe("file", true, "it exists", { exists: true, readable: true, uid: 1000 })],
      ),
    ).toBe("permission_denied");
  });

  it("a message that reads like one of opsdojo's own is not taken for it without the kind", () => {
    const ranked = rankCauses(
      input(
        {
          target: "a",
          step: "s",
          phase: "action",
          kind: "action",
          reason: "shell.run: exited with 1: the run was stopped; nothing is known as x",
        },
        [],
      ),
    );
    expect(ranked.map((c) => c.id)).not.toContain("stopped_by_user");
    expect(ranked.map((c) => c.id)).not.toContain("bad_reference");
  });

  it("no evidence at all: unknown, said plainly", () => {
    const ranked = rankCauses(
      input({ target: "a", step: "s", phase: "action", kind: "action", reason: "something odd" }, []),
    );
    expect(ranked).toEqual([expect.objectContaining({ id: "unknown", score: 0.1 })]);
  });
});

describe("recovery", () => {
  const cause: Candidate = {
    id: "nothing_listening",
    title: "t",
    score: 0.9,
    evidence: [],
    fix: "start the service",
  };
  it("by where the run stopped: resume a paused run, finish an incomplete rollback, run a rolled back one again", () => {
    const ctx = { runId: "run_1", operation: "roll", params: { release: "2.0 rc" } };
    expect(recoveryFor(cause, { ...ctx, status: "paused" })).toMatchObject({
      kind: "fix-and-resume",
      command: "opsdojo runs resume run_1",
    });
    expect(recoveryFor(cause, { ...ctx, status: "rollback_incomplete" })).toMatchObject({
      kind: "undo",
      command: "opsdojo runs undo run_1",
    });
    const rerun = recoveryFor(cause, { ...ctx, status: "rolled_back" });
    expect(rerun.kind).toBe("fix-and-rerun");
    expect(rerun.command).toBe("opsdojo run FILE --param 'release=2.0 rc'   # FILE: the roll operation file");
    expect(recoveryFor({ ...cause, transient: true }, { ...ctx, status: "rolled_back" }).kind).toBe("retry");
    expect(rerunCommand({})).toBe("opsdojo run FILE");
  });
});
