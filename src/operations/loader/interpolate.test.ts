// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { describe, expect, it } from "vitest";
import { InterpolationError, type InterpolationScope, interpolate, parseTemplate } from "./index.ts";

const scope: InterpolationScope = {
  params: { release: "v2", workers: 4, dry: false },
  target: { name: "app-1", vars: { dir: "/srv/app-1", port: 8081 } },
  steps: { fetch: { output: { body: { id: "abc", tags: ["x"] }, code: 0 } } },
  run: { id: "run-1" },
};

describe("interpolate", () => {
  it("substitutes inside strings, deep through mappings and lists, leaving keys and other values alone", () => {
    const input = {
      path: "${target.dir}/app.conf",
      content: "release=${params.release}\nworkers=${params.workers}\n",
      list: ["${target.name}", 3, true, null, { "${params.release}": "${run.id}" }],
    };
    expect(interpolate(input, scope)).toEqual({
      path: "/srv/app-1/app.conf",
      content: "release=v2\nworkers=4\n",
      list: ["app-1", 3, true, null, { "${params.release}": "run-1" }],
    });
    expect(input.path).toBe("${target.dir}/app.conf");
  });

  it("a string that is one reference takes the value itself; in text, mappings are written as JSON", () => {
    expect(interpolate("${target.port}", scope)).toBe(8081);
    expect(interpolate("${params.dry}", scope)).toBe(false);
    expect(interpolate("${steps.fetch.output.body}", scope)).toEqual({ id: "abc", tags: ["x"] });
    expect(interpolate("id=${steps.fetch.output.body.id} body=${steps.fetch.output.body}", scope)).toBe(
      'id=abc body={"id":"abc","tags":["x"]}',
    );
    expect(interpolate("${steps.fetch.output.code}", scope)).toBe(0);
  });

  it("writes $${ as a literal ${ and leaves a lone $ alone", () => {
    expect(interpolate("echo $${HOME} costs $5 ${params.release}", scope)).toBe("echo ${HOME} costs $5 v2");
  });

  it("never evaluates anything and never reaches a prototype", () => {
    for (const text of [
      "${constructor}",
      "${params.constructor}",
      "${params.__proto__}",
      "${params.toString}",
      "${target.vars}",
      "${steps.fetch.output.body.id.length}",
      "${params.release.length}",
    ]) {
      expect(() => interpolate(text, scope), text).toThrow(InterpolationError);
    }
    expect(() => interpolate("${process.exit(1)}", scope)).toThrow(/is not a reference/);
    expect(() => interpolate("${params.release", scope)).toThrow(/unterminated/);
  });

  it("keeps a __proto__ key as data", () => {
    const input = JSON.parse('{"__proto__": {"polluted": "${params.release}"}}') as Record<string, unknown>;
    const out = interpolate(input, scope) as Record<string, unknown>;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("names the reference that has no value", () => {
    expect(() => interpolate("${params.missing}", scope)).toThrow(
      '${params.missing}: nothing is known as "missing" here',
    );
    expect(() => interpolate("${run.id}", {})).toThrow(InterpolationError);
  });
});

describe("parseTemplate", () => {
  it("splits text and references, with the offset of each reference", () => {
    expect(parseTemplate("a ${ params.x } b").pieces).toEqual([
      { kind: "text", text: "a " },
      { kind: "ref", ref: "params.x", path: ["params", "x"], raw: "${ params.x }", offset: 2 },
      { kind: "text", text: " b" },
    ]);
  });

  it("handles a megabyte of text without a closing brace in linear time", () => {
    const { problems } = parseTemplate(`\${${"a".repeat(1024 * 1024)}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message.length).toBeLessThan(200);
  });
});
