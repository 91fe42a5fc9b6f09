// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { describe, expect, it } from "vitest";
import type { Operation } from "../model/index.ts";
import { OperationParamsError, resolveParams } from "./index.ts";

const operation: Pick<Operation, "params"> = {
  params: {
    release: { type: "string", required: true },
    workers: { type: "number", default: 4 },
    dry: { type: "boolean" },
  },
};

function problems(args: string[]): readonly string[] {
  try {
    resolveParams(args, operation);
  } catch (error) {
    expect(error).toBeInstanceOf(OperationParamsError);
    expect((error as OperationParamsError).kind).toBe("invalid");
    return (error as OperationParamsError).problems;
  }
  throw new Error("expected the params to be refused");
}

describe("resolveParams (--param k=v)", () => {
  it("types the values and fills in defaults", () => {
    expect(resolveParams(["release=v2=beta", "dry=true"], operation)).toEqual({
      release: "v2=beta",
      workers: 4,
      dry: true,
    });
    expect(resolveParams(["release=", "workers=-2.5e1", "dry=false"], operation)).toEqual({
      release: "",
      workers: -25,
      dry: false,
    });
  });

  it("reports every problem at once", () => {
    expect(problems(["workers=many", "dry=yes", "relase=v1", "noequals", "=x", "workers=1"])).toEqual([
      '"relase" is not a parameter of this operation (did you mean release?); declared: release, workers, dry',
      '"noequals": expected name=value',
      '"=x": expected name=value',
      "workers is given more than once",
      "release is required (--param release=<string>)",
      'workers: got "many"; expected a finite number such as 4 or 2.5',
      'dry: got "yes"; expected true or false',
    ]);
  });

  it("refuses numbers that are not finite or not exact, and prototype names", () => {
    expect(problems(["release=a", "workers=1e400"])).toEqual([
      'workers: got "1e400"; expected a finite number such as 4 or 2.5',
    ]);
    expect(problems(["release=a", "workers=0x10"])).toHaveLength(1);
    expect(problems(["release=a", "workers=99999999999999999999"])).toHaveLength(1);
    expect(problems(["release=a", "__proto__=x", "constructor=y"])).toEqual([
      '"__proto__" is not a parameter of this operation; declared: release, workers, dry',
      '"constructor" is not a parameter of this operation; declared: release, workers, dry',
    ]);
  });

  it("an operation without params accepts none", () => {
    expect(resolveParams([], {})).toEqual({});
    expect(() => resolveParams(["a=1"], {})).toThrow("this operation declares no params");
  });
});

describe("an optional param without a default", () => {
  const uses = (text: string) =>
    ({
      params: { tag: { type: "string" } },
      steps: [{ name: "s", uses: "noop", with: { note: text } }],
    }) as unknown as Operation;

  it("is refused before the run when the operation uses it and it is not given", () => {
    expect(() => resolveParams([], uses("tag is ${params.tag}"))).toThrow(
      /tag has no value and no default, but the operation uses \$\{params\.tag\}/,
    );
    expect(resolveParams(["tag=v1"], uses("tag is ${params.tag}"))).toEqual({ tag: "v1" });
  });

  it("may stay unset when nothing uses it (a literal $${ is not a use)", () => {
    expect(resolveParams([], uses("literal $${params.tag}"))).toEqual({});
  });
});

describe("secret params", () => {
  const secretive: Pick<Operation, "params"> = {
    params: {
      token: { type: "string", secret: true, required: true, source: "env:OPSDOJO_TEST_TOKEN" },
      key: { type: "string", secret: true },
    },
  };
  const none = { env: {}, readFile: () => "" };

  it("takes a secret from its source when it is not passed, and says which source is unset", () => {
    expect(resolveParams([], secretive, { env: { OPSDOJO_TEST_TOKEN: "t" }, readFile: () => "" })).toEqual({
      token: "t",
    });
    expect(resolveParams(["token=given"], secretive, none)).toEqual({ token: "given" });
    expect(() => resolveParams([], secretive, none)).toThrow(
      "secret param token: its source env:OPSDOJO_TEST_TOKEN is not set; set it, or pass --param token=…",
    );
  });

  it("refuses a stand-in «secret:…» given as the value", () => {
    expect(() => resolveParams(["token=t", "key=«secret:key»"], secretive, none)).toThrow(
      "key: «secret:key» stands for a secret that is never stored; pass the secret itself",
    );
  });
});
