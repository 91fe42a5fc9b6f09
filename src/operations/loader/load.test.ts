// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileUnreadableError } from "../../core/index.ts";
import { targetsOf } from "../model/index.ts";
import { loadOperation, OperationFileError, parseOperation } from "./index.ts";

const EXAMPLE = new URL("./fixtures/roll-app-config.yaml", import.meta.url).pathname;

/** The issues of an invalid text as `line:column path: message`, in document order. */
function issues(text: string, file = "op.yaml"): string[] {
  try {
    parseOperation(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(OperationFileError);
    const e = error as OperationFileError;
    expect(e.kind).toBe("invalid");
    expect(e.code).toBe("operation_file_invalid");
    return e.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
  }
  throw new Error("expected the text to be invalid");
}

const head = "opsdojo: operation/v1\nname: op\n";

describe("the example of OPERATIONS.md", () => {
  it("loads, with every field where the page puts it", async () => {
    const op = await loadOperation(EXAMPLE);
    expect(op.name).toBe("roll-app-config");
    expect(op.params?.release).toEqual({ type: "string", required: true, description: "release tag" });
    expect(op.params?.workers?.default).toBe(4);
    expect(targetsOf(op).map((t) => t.name)).toEqual(["app-1", "app-2"]);
    expect(op.strategy).toEqual({ batch_size: 2, max_failures: 0, on_failure: "rollback" });
    expect(op.steady_state?.[0]).toMatchObject({ name: "app-healthy", http: { status: 200 } });
    expect(op.steps.map((s) => s.uses)).toEqual(["file.write", "shell.run"]);
    expect(op.steps[1]).toMatchObject({ timeout: "30s", retries: { count: 2, delay: "1s" } });
    expect(op.steps[1]?.post?.[0]).toMatchObject({ within: "10s" });
  });

  it("loads the same operation written as JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "opsdojo-op-"));
    try {
      const yamlOp = await loadOperation(EXAMPLE);
      const file = join(dir, "op.json");
      await writeFile(file, JSON.stringify(yamlOp, null, 2));
      expect(await loadOperation(file)).toEqual(yamlOp);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("defaults to one target named local", () => {
    const op = parseOperation(`${head}steps:\n  - { name: a, uses: noop }\n`, "op.yaml");
    expect(targetsOf(op)).toEqual([{ name: "local", vars: {} }]);
  });
});

describe("every error at once, each at its line and column", () => {
  it("reports schema errors at the offending value, with what was got and expected", () => {
    const text = [
      "opsdojo: operation/v2", // 1
      "name: Roll_App", // 2
      "strategy:", // 3
      "  batch_size: '25'", // 4
      "  on_failure: rolback", // 5
      "  max_failure: 1", // 6
      "steps:", // 7
      "  - name: a", // 8
      "    uses: file.wirte", // 9
      "    timeout: 10 seconds", // 10
      "    undo: nope", // 11
      "    retries: { count: -1 }", // 12
      "",
    ].join("\n");
    expect(issues(text)).toEqual([
      '1:10 opsdojo: got "operation/v2"; expected "operation/v1"',
      "2:7 name: got \"Roll_App\"; expected an operation name: lowercase letters, digits and '-'",
      '4:15 strategy.batch_size: got "25"; expected a whole number of targets (1 or more) or a percentage from "1%" to "100%"',
      '5:15 strategy.on_failure: got "rolback" (did you mean rollback?); expected one of: rollback, rollback-target, pause',
      '6:3 strategy.max_failure: unknown field "max_failure" (did you mean max_failures?); expected one of: batch_size, max_failures, on_failure',
      expect.stringMatching(
        /^9:11 steps\[0\]\.uses: got "file\.wirte" \(did you mean file\.write\?\); expected one of: file\.\* \(8\), /,
      ),
      '10:14 steps[0].timeout: got "10 seconds"; expected a duration such as 500ms, 10s, 5m or 1h',
      '11:11 steps[0].undo: got "nope"; expected { uses, with } or "none"',
      "12:23 steps[0].retries.count: got -1; expected a number >= 0",
    ]);
  });

  it("reports a missing field at the mapping that lacks it", () => {
    expect(issues("opsdojo: operation/v1\nsteps:\n  - uses: noop\n")).toEqual([
      '1:1 : missing the required field "name"',
      '3:5 steps[0]: missing the required field "name"',
    ]);
  });

  it("names the check kinds when a check has none or several", () => {
    const text = `${head}steps:\n  - name: a\n    uses: noop\n    post:\n      - { name: x }\n      - file: { path: /a }\n        tcp: { host: h, port: 1 }\n`;
    expect(issues(text)).toEqual([
      "7:9 steps[0].post[0]: got a mapping (name); expected one of http, command, file, tcp in the check",
      "8:9 steps[0].post[1]: has file and tcp; expected exactly one of http, command, file, tcp per check",
    ]);
  });

  it("reports an unknown field beside a well-formed check, and inside an explicit undo", () => {
    const text = `${head}steps:
  - name: a
    uses: noop
    post:
      - { tcp: { host: h, port: 1 }, colour: red }
    undo: { uses: nop, width: {} }
`;
    expect(issues(text)).toEqual([
      '7:38 steps[0].post[0].colour: unknown field "colour"; expected one of: name, within, tcp',
      expect.stringMatching(/^8:19 steps\[0\]\.undo\.uses: got "nop" \(did you mean noop\?\)/),
      '8:24 steps[0].undo.width: unknown field "width" (did you mean with?); expected one of: uses, with',
    ]);
  });

  it("reports errors inside the check kind the value was meant to be", () => {
    const text = `${head}steps:\n  - name: a\n    uses: noop\n    pre:\n      - http: { url: 5, colour: red }\n        within: soon\n`;
    expect(issues(text)).toEqual([
      "7:22 steps[0].pre[0].http.url: got 5; expected a string",
      '7:25 steps[0].pre[0].http.colour: unknown field "colour"; expected one of: url, method, status, body_contains, from',
      '8:17 steps[0].pre[0].within: got "soon"; expected a duration such as 500ms, 10s, 5m or 1h',
    ]);
  });

  it("reports duplicate step and target names at the second one", () => {
    const text = `${head}targets:\n  - { name: t }\n  - { name: t }\nsteps:\n  - { name: a, uses: noop }\n  - { name: a, uses: noop }\n`;
    expect(issues(text)).toEqual([
      '5:13 targets[1].name: target name "t" is already used by targets[0]; target names must be unique',
      '8:13 steps[1].name: step name "a" is already used by steps[0]; step names must be unique',
    ]);
  });

  it("reports a default of another type than the param's", () => {
    const text = `${head}params:\n  workers: { type: number, default: four }\nsteps:\n  - { name: a, uses: noop }\n`;
    expect(issues(text)).toEqual([
      '4:37 params.workers.default: got "four"; expected a number, the declared type of workers',
    ]);
  });

  it("reports a secret that is not a string, has a default, or a source without secret: true", () => {
    const text = `${head}params:\n  a: { type: number, secret: true }\n  b: { type: string, secret: true, default: x }\n  c: { type: string, source: "env:C" }\n  d: { type: string, secret: true, source: "vault:d" }\nsteps:\n  - { name: a, uses: noop }\n`;
    expect(issues(text)).toEqual([
      '4:14 params.a.type: got "number"; a secret param is a string',
      "5:36 params.b.default: a secret param has no default (the file is not secret); declare source: env:NAME or file:PATH instead",
      "6:22 params.c.source: a source is for secret params; add secret: true to c, or pass it with --param",
      '7:44 params.d.source: got "vault:d"; expected env:NAME or file:PATH',
    ]);
  });

  it("reports a target over SSH whose sudo password is not a secret param, and a bad port", () => {
    const text = `${head}params:\n  pw: { type: string }\ntargets:\n  - { name: web1, host: 10.0.0.1, port: 0, become: { password_param: pw } }\nsteps:\n  - { name: a, uses: noop }\n`;
    expect(issues(text)).toEqual([
      "6:41 targets[0].port: got 0; expected a number >= 1",
      '6:70 targets[0].become.password_param: "pw" is not a secret param; declare params.pw with secret: true (and a source)',
    ]);
    const ok = parseOperation(
      `${head}params:\n  pw: { type: string, secret: true, source: "env:PW" }\ntargets:\n  - { name: web1, host: 10.0.0.1, user: deploy, jump: "ops@bastion:22", become: { user: app, password_param: pw } }\nsteps:\n  - { name: a, uses: noop }\n`,
      "op.yaml",
    );
    expect(targetsOf(ok)[0]).toMatchObject({
      host: "10.0.0.1",
      become: { user: "app", password_param: "pw" },
    });
  });

  it("reports YAML syntax errors with their position", () => {
    expect(issues(`${head}steps: [\n`)).toEqual([
      expect.stringMatching(/^4:1 : not valid YAML or JSON: Flow sequence/),
    ]);
    expect(issues(`${head}name: again\nsteps: []\n`)).toEqual([
      expect.stringMatching(/^3:1 : not valid YAML or JSON: Map keys must be unique/),
    ]);
  });

  it("reports a JSON file's errors at their line and column too", () => {
    const json =
      '{\n  "opsdojo": "operation/v1",\n  "name": "x",\n  "steps": [{ "name": "a", "uses": "nop" }]\n}\n';
    expect(issues(json, "op.json")).toEqual([
      expect.stringMatching(/^4:36 steps\[0\]\.uses: got "nop" \(did you mean noop\?\)/),
    ]);
  });

  it("formats each issue as file:line:column in the message", () => {
    expect(() => parseOperation(`${head}steps:\n  - { name: a, uses: nop }\n`, "ops/x.yaml")).toThrow(
      /ops\/x\.yaml:4:22: steps\[0\]\.uses: got "nop"/,
    );
  });

  it("cannot read a missing file: an invalid-kind error naming it", async () => {
    const error = await loadOperation("/nonexistent/op.yaml").catch((e: unknown) => e);
    // The one error every command gives for a file it cannot read (exit 3, the same words).
    expect(error).toBeInstanceOf(FileUnreadableError);
    expect((error as FileUnreadableError).kind).toBe("invalid");
    expect((error as Error).message).toBe("cannot read /nonexistent/op.yaml: it does not exist");
  });
});

describe("${…} references", () => {
  const ops = (steps: string, extra = "") =>
    `${head}params:\n  release: { type: string }\ntargets:\n  - { name: a, vars: { dir: /a, port: 1 } }\n  - { name: b, vars: { dir: /b } }\n${extra}steps:\n${steps}`;

  it("accepts every allowed form", () => {
    const steps = [
      "  - name: one",
      "    uses: shell.run",
      '    with: { command: "echo ${params.release} ${target.name} ${target.dir} ${run.id} $${HOME}" }',
      "    post:",
      '      - command: { run: "test ${steps.one.output.code}" }',
      '    undo: { uses: shell.run, with: { command: "undo ${steps.one.output.id}" } }',
      "  - name: two",
      "    uses: noop",
      '    with: { sleep: "${steps.one.output.a.b}" }',
      "",
    ].join("\n");
    expect(parseOperation(ops(steps), "op.yaml").steps).toHaveLength(2);
  });

  it("reports each bad reference at its own column", () => {
    const steps = [
      "  - name: one", // 9
      "    uses: shell.run", // 10
      '    with: { command: "${params.relase} ${target.port} ${target.host} ${steps.two.output.x}" }', // 11
      "    pre:", // 12
      '      - command: { run: "${steps.one.output.x} ${steps.nine.output.x} ${run.name}" }', // 13
      "  - name: two", // 14
      "    uses: noop", // 15
      "",
    ].join("\n");
    const steady = 'steady_state:\n  - tcp: { host: "${steps.one.output.h}", port: 1 }\n';
    expect(issues(ops(steps, steady))).toEqual([
      "9:19 steady_state[0].tcp.host: ${steps.one.output.h}: steady-state checks run outside the steps; no step output is available",
      '13:23 steps[0].with.command: ${params.relase}: unknown parameter "relase" (did you mean release?); declared: release',
      '13:40 steps[0].with.command: ${target.port}: the var "port" is not defined on every target (missing on b)',
      '13:55 steps[0].with.command: ${target.host}: unknown target var "host"; every target has: name, dir',
      '13:70 steps[0].with.command: ${steps.two.output.x}: refers to the step "two", which runs later (step 2; this is step 1)',
      "15:26 steps[0].pre[0].command.run: ${steps.one.output.x}: a step's own output exists only after it ran (usable in its post and undo)",
      '15:48 steps[0].pre[0].command.run: ${steps.nine.output.x}: unknown step "nine" (did you mean one?)',
      "15:71 steps[0].pre[0].command.run: ${run.name}: expected ${run.id}",
    ]);
  });

  it("finds the column inside block scalars and repeated references", () => {
    const text = `${head}steps:\n  - name: a\n    uses: shell.run\n    with:\n      command: |\n        echo ok\n        echo \${params.x} \${params.x}\n`;
    expect(issues(text)).toEqual([
      '9:14 steps[0].with.command: ${params.x}: unknown parameter "x"; this operation declares no params',
      '9:26 steps[0].with.command: ${params.x}: unknown parameter "x"; this operation declares no params',
    ]);
  });
});

describe("hostile inputs give clear errors, never a crash", () => {
  const step = (withText: string) => `${head}steps:\n  - name: a\n    uses: noop\n    with: ${withText}\n`;

  it("huge numbers", () => {
    const text = `${head}strategy: { batch_size: 1e400, max_failures: 99999999999999999999999 }\nsteps:\n  - name: a\n    uses: noop\n    timeout: 99999999999999999999h\n    retries: { count: 10000000000000000000000, delay: 1s }\n`;
    expect(issues(text)).toEqual([
      '3:25 strategy.batch_size: got Infinity (not a finite number); expected a whole number of targets (1 or more) or a percentage from "1%" to "100%"',
      "3:46 strategy.max_failures: got 1e+23; expected a number <= 1000000",
      '7:14 steps[0].timeout: got "99999999999999999999h"; the duration is too large',
      "8:23 steps[0].retries.count: got 1e+22; expected a number <= 100",
    ]);
  });

  it("an unterminated ${ and code-like references", () => {
    expect(
      issues(step('{ a: "x ${params.b", b: "${constructor}", c: "${a[0]}", d: "${process.exit()}" }')),
    ).toEqual([
      '6:19 steps[0].with.a: unterminated reference "${params.b": "${" without a closing "}" (write "$${" for a literal "${")',
      "6:36 steps[0].with.b: ${constructor}: unknown reference; expected ${params.<name>}, ${target.name}, ${target.<var>}, ${steps.<step>.output.<field>} or ${run.id}",
      '6:57 steps[0].with.c: "${a[0]}" is not a reference; expected ${params.<name>}, ${target.name}, ${target.<var>}, ${steps.<step>.output.<field>} or ${run.id} (write "$${" for a literal "${")',
      expect.stringMatching(/^6:71 steps\[0\]\.with\.d: "\$\{process\.exit\(\)\}" is not a reference/),
    ]);
  });

  it("prototype keys are refused as names and never reach an object's prototype", () => {
    const text = `${head}params:\n  __proto__: { type: string }\n  constructor: { type: string }\ntargets:\n  - { name: t, vars: { __proto__: 1 } }\nsteps:\n  - name: a\n    uses: noop\n    with: { __proto__: { polluted: true } }\n`;
    expect(issues(text)).toEqual([
      '4:3 params.__proto__: "__proto__" is not allowed as a name; expected a letter or _, then letters, digits or _',
      '5:3 params.constructor: "constructor" is not allowed as a name; expected a letter or _, then letters, digits or _',
      '7:24 targets[0].vars.__proto__: "__proto__" is not allowed as a name; expected a letter or _, then letters, digits or _',
      // An own key named __proto__, so the action sees (and refuses) it like any other field.
      "11:13 steps[0].with.__proto__: noop: unknown field; expected one of sleep, duration, fail_rate, seed",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const op = parseOperation(
      `${head}steps:\n  - name: a\n    uses: shell.run\n    with: { command: "true", env: { __proto__: polluted } }\n`,
      "op.yaml",
    );
    const env = (op.steps[0]?.with?.env ?? {}) as Record<string, unknown>;
    expect(Object.hasOwn(env, "__proto__")).toBe(true);
    expect(env.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("tabs used for indentation", () => {
    expect(issues(`${head}steps:\n\t- name: a\n`)[0]).toBe(
      "4:1 : not valid YAML or JSON: Tabs are not allowed as indentation",
    );
  });

  it("a 1 MB string is shown clipped and the file still loads or fails cleanly", () => {
    const big = "x".repeat(1024 * 1024);
    const write = `${head}steps:\n  - { name: a, uses: file.write, with: { path: /tmp/a, content: "${big}" } }\n`;
    expect(parseOperation(write, "op.yaml").steps[0]?.with?.content).toHaveLength(big.length);
    const [only, ...rest] = issues(`${head}description: ${big}\nsteps:\n  - { name: a, uses: ${big} }\n`);
    expect(rest).toEqual([]);
    expect(only).toMatch(/^5:22 steps\[0\]\.uses: got "x{60}… \(1048576 characters\)"; expected one of: /);
    expect(only?.length).toBeLessThan(1000);
    expect(
      issues(`${head}steps:\n  - { name: a, uses: noop, with: { c: "\${${big}" } }\n`)[0]?.length,
    ).toBeLessThan(300);
  });

  it("alias bombs, absurd nesting and files that are too large", () => {
    const bomb = [
      "a: &a [1,1,1,1,1,1,1,1,1]",
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]",
    ].join("\n");
    const deep = `${head}steps:\n  - { name: a, uses: noop, with: { a: ${"[".repeat(10_000)}${"]".repeat(10_000)} } }\n`;
    expect(issues(deep)).toEqual([
      expect.stringMatching(/^4:\d+ : not valid YAML or JSON: nested too deeply$/),
    ]);
    expect(issues(bomb)).toEqual([
      expect.stringMatching(/^1:1 : cannot read the document: Excessive alias count/),
    ]);
    expect(issues(`# ${"y".repeat(5 * 1024 * 1024)}\n`)).toEqual([
      "1:1 : the file is larger than 4194304 bytes",
    ]);
  });

  it("tags and values that are not plain data", () => {
    const text = `${head}steps:\n  - name: a\n    uses: noop\n    with:\n      f: !!js/function "function () {}"\n      g: !custom x\n      b: !!binary aGVsbG8=\n      s: !!set { a, b }\n      n: .nan\n`;
    expect(issues(text)).toEqual([
      "7:10 : Unresolved tag: tag:yaml.org,2002:js/function; tags are not supported here",
      "8:10 : Unresolved tag: !custom; tags are not supported here",
      "9:19 steps[0].with.b: got binary data; expected plain data (text, number, true/false, null, list or mapping)",
      "10:16 steps[0].with.s: got a set; expected plain data (text, number, true/false, null, list or mapping)",
      "11:10 steps[0].with.n: got NaN (not a finite number); expected a finite number",
    ]);
  });

  it("thousands of problems: all in issues, the first 50 in the message", () => {
    const steps = Array.from({ length: 2000 }, (_, i) => `  - { name: s${i}, uses: nop }`).join("\n");
    const error = (() => {
      try {
        parseOperation(`${head}steps:\n${steps}\n`, "op.yaml");
      } catch (e) {
        return e as OperationFileError;
      }
    })();
    expect(error?.issues).toHaveLength(2000);
    expect(error?.message.split("\n")).toHaveLength(53);
    expect(error?.message).toContain("… and 1950 more");
  });

  it("documents that are not a mapping", () => {
    expect(issues("")).toEqual([
      '1:1 : got nothing (null); expected a mapping that starts with "opsdojo: operation/v1"',
    ]);
    expect(issues("- 1\n")).toEqual([
      '1:1 : got a list of 1; expected a mapping that starts with "opsdojo: operation/v1"',
    ]);
    expect(issues("--- a\n--- b\n")[0]).toMatch(
      /^2:1 : not valid YAML or JSON: Source contains multiple documents/,
    );
  });
});
