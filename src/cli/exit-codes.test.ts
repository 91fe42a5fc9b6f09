import { readFile } from "node:fs/promises";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { ProblemError } from "../api/index.ts";
import { type ErrorKind, InvalidInputError, OpsdojoError } from "../core/index.ts";
import { ServiceNotFoundError } from "../directory/index.ts";
import { RemoteProblemError, UsageError } from "./errors.ts";
import { describeFailure, EXIT_CODE_MEANINGS, EXIT_CODES } from "./exit-codes.ts";

describe("exit codes", () => {
  it.each<[ErrorKind, number]>([
    ["invalid", 3],
    ["not_found", 1],
    ["conflict", 1],
    ["changed", 1],
    ["unavailable", 1],
    ["internal", 1],
  ])("an error of kind %s exits with %i", (kind, code) => {
    expect(describeFailure(new OpsdojoError("x", "it went wrong", { kind })).exitCode).toBe(code);
  });

  it.each([
    [400, 3],
    [401, 3],
    [403, 3],
    [404, 1],
    [409, 1],
    [410, 1],
    [412, 1],
    [413, 3],
    [415, 3],
    [422, 3],
    [429, 1],
    [500, 1],
    [503, 1],
  ])("a server's %i problem exits with %i", (status, code) => {
    const failure = describeFailure(new RemoteProblemError({ title: "T", status, detail: "d" }));
    expect(failure.exitCode).toBe(code);
    expect(failure.message).toBe("T: d");
  });

  it("maps usage errors to 64, with a hint naming the command's help", () => {
    expect(describeFailure(new UsageError("no", "opsdojo services list"))).toEqual({
      exitCode: 64,
      message: "no",
      details: [],
      hint: "run `opsdojo services list --help` for usage",
    });
    expect(
      describeFailure(new CommanderError(1, "commander.unknownOption", "error: unknown option")).exitCode,
    ).toBe(64);
  });

  it("renders a problem as title: detail plus each errors[] pointer, without repeating itself", () => {
    const two = describeFailure(
      new RemoteProblemError({
        title: "The request is not valid",
        status: 400,
        detail: "2 problems in the request",
        errors: [
          { detail: "is required", pointer: "/owner", in: "body" },
          { detail: "must be integer", pointer: "/limit", in: "query" },
        ],
      }),
    );
    expect(two.message).toBe("The request is not valid: 2 problems in the request");
    expect(two.details).toEqual(["body /owner: is required", "query /limit: must be integer"]);

    const one = describeFailure(
      new ProblemError("validation-failed", "body /owner: is required", {
        errors: [{ detail: "is required", pointer: "/owner", in: "body" }],
      }),
    );
    expect(one).toEqual({
      exitCode: 3,
      message: "The request is not valid",
      details: ["body /owner: is required"],
    });
  });

  it("tells what to do next where the message does not", () => {
    expect(describeFailure(new ServiceNotFoundError('"x"')).hint).toBe(
      "`opsdojo services list` shows the registered services",
    );
    expect(
      describeFailure(new RemoteProblemError({ title: "T", status: 403, required_scope: "write" })).hint,
    ).toBe('use a token with the "write" scope');
    expect(describeFailure(new InvalidInputError("bad")).hint).toBeUndefined();
  });

  it("reports an unexpected error as a bug, by its message only, and an OS error as a failure", () => {
    const bug = new TypeError("x is undefined");
    const failure = describeFailure(bug);
    expect(failure).toEqual({
      exitCode: 1,
      message: "unexpected failure: x is undefined",
      details: [],
      hint: "this is a bug in opsdojo; please report it with the command you ran",
    });
    expect(JSON.stringify(failure)).not.toContain(bug.stack?.split("\n")[1]?.trim() ?? "at ");
    const os = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: "EACCES" });
    expect(describeFailure(os)).toEqual({ exitCode: 1, message: os.message, details: [] });
  });

  it("is documented in docs/getting-started.md exactly as the code has it", async () => {
    const doc = await readFile(new URL("../../docs/getting-started.md", import.meta.url), "utf8");
    const section = doc.split("## Exit codes")[1]?.split("\n## ")[0] ?? "";
    const rows = [...section.matchAll(/^\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => [
      Number(m[1]),
      m[2]?.trim(),
    ]);
    const expected = (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).map((name) => [
      EXIT_CODES[name],
      EXIT_CODE_MEANINGS[name],
    ]);
    expect(rows).toEqual(expected);
  });
});
