import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ProblemError } from "../problem-error.ts";
import { CursorCodec } from "./cursor.ts";

const KEY = Buffer.alloc(32, 7).toString("base64url");
const codec = new CursorCodec(KEY);
const DIGEST = CursorCodec.queryDigest(["services", "[]", "name,id", "false"]);

function refusal(cursor: string, digest = DIGEST): ProblemError {
  try {
    const values = codec.decode(cursor, digest);
    throw new Error(`cursor ${JSON.stringify(cursor)} was accepted as ${JSON.stringify(values)}`);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return error;
  }
}

/** Replace the character at `i` with another base64url character. */
function flip(text: string, i: number): string {
  const c = text[i] === "A" ? "B" : "A";
  return `${text.slice(0, i)}${c}${text.slice(i + 1)}`;
}

describe("CursorCodec", () => {
  it("round-trips strings and numbers, unicode included", () => {
    const values = ['日本 "quoted" \\ ,.', 42, -1.5, "svc_01jd0000000000000000000000"];
    const cursor = codec.encode(values, DIGEST);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(codec.decode(cursor, DIGEST)).toEqual(values);
  });

  it("is opaque: the values are not readable as plain text in the cursor", () => {
    const cursor = codec.encode(["payments-api"], DIGEST);
    expect(cursor).not.toContain("payments-api");
  });

  it("is honoured by another codec with the same key (another node), refused with another key", () => {
    const cursor = codec.encode(["a"], DIGEST);
    expect(new CursorCodec(KEY).decode(cursor, DIGEST)).toEqual(["a"]);
    const other = new CursorCodec(Buffer.alloc(32, 8).toString("base64url"));
    expect(() => other.decode(cursor, DIGEST)).toThrow("its signature does not match");
  });

  it("refuses a cursor whose body was modified", () => {
    const cursor = codec.encode(["payments-api", 3], DIGEST);
    const [body, signature] = cursor.split(".") as [string, string];
    for (const i of [0, Math.floor(body.length / 2), body.length - 1]) {
      const problem = refusal(`${flip(body, i)}.${signature}`);
      expect(problem.message).toBe("the cursor is not valid: its signature does not match");
    }
    // A body re-encoded with other values, keeping the old signature.
    const forged = Buffer.from(JSON.stringify({ v: ["zzz", 3], q: DIGEST })).toString("base64url");
    expect(refusal(`${forged}.${signature}`).message).toBe(
      "the cursor is not valid: its signature does not match",
    );
  });

  it("refuses a cursor whose signature was modified, shortened or lengthened", () => {
    const cursor = codec.encode(["a"], DIGEST);
    const [body, signature] = cursor.split(".") as [string, string];
    for (const sig of [flip(signature, 0), flip(signature, 21), signature.slice(1), `${signature}A`]) {
      expect(refusal(`${body}.${sig}`).message).toBe("the cursor is not valid: its signature does not match");
    }
  });

  it("refuses a cursor issued for another query (filter, sort, show_deleted or collection)", () => {
    const cursor = codec.encode(["a"], DIGEST);
    for (const parts of [
      ["services", '[{"field":"owner","op":"=","value":"sre"}]', "name,id", "false"],
      ["services", "[]", "-name,id", "false"],
      ["services", "[]", "name,id", "true"],
      ["runs", "[]", "name,id", "false"],
    ]) {
      expect(refusal(cursor, CursorCodec.queryDigest(parts)).message).toBe(
        "the cursor is not valid: it was issued for a different filter, sort or show_deleted",
      );
    }
  });

  it("refuses garbage", () => {
    const garbage = [
      "",
      ".",
      "abc",
      "abc.",
      ".abc",
      "a.b.c",
      "%%%.%%%",
      "x".repeat(5000),
      `${"x".repeat(4100)}.y`,
    ];
    for (const text of garbage) {
      const problem = refusal(text);
      expect(problem.slug, text).toBe("invalid-cursor");
      expect(problem.status).toBe(400);
      expect(problem.errors).toEqual([{ detail: problem.message, pointer: "/cursor", in: "query" }]);
    }
  });

  it("refuses a correctly signed body that is not a cursor's JSON", () => {
    // Only a holder of the key can sign these; the codec still must not trust their shape.
    const sign = (body: string) =>
      createHmac("sha256", Buffer.from(KEY, "base64url")).update(body).digest("base64url").slice(0, 22);
    const good = Buffer.from(JSON.stringify({ v: ["a"], q: DIGEST })).toString("base64url");
    expect(codec.decode(`${good}.${sign(good)}`, DIGEST)).toEqual(["a"]);
    for (const payload of [
      "not json",
      "null",
      "[]",
      `{"v":"a","q":"${DIGEST}"}`,
      `{"v":[{"x":1}],"q":"${DIGEST}"}`,
    ]) {
      const body = Buffer.from(payload).toString("base64url");
      const problem = refusal(`${body}.${sign(body)}`);
      expect(problem.slug, payload).toBe("invalid-cursor");
    }
  });
});
