import { describe, expect, it } from "vitest";
import { bodyExcerpt, EXCERPT_BYTES, excerptOf, maskSecrets } from "./body-excerpt.ts";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("the excerpt of a failing check's body", () => {
  it("shows a short text body as one line, its quotes as they are", () => {
    expect(excerptOf("application/json", bytes('{"status":"fail",\n"reason":"cannot parse db_url"}'))).toBe(
      '{"status":"fail", "reason":"cannot parse db_url"}',
    );
    expect(excerptOf("", bytes("  "))).toBe("(empty body)");
  });

  it("stops at EXCERPT_BYTES, without half a character, and says there was more", () => {
    const text = `${"a".repeat(EXCERPT_BYTES - 1)}é and more`;
    const shown = excerptOf("text/plain; charset=utf-8", bytes(text));
    expect(shown).toBe(`${"a".repeat(EXCERPT_BYTES - 1)}…`);
  });

  it("names a binary body instead of showing it", () => {
    expect(excerptOf("image/png", bytes("\u0089PNG"))).toBe("(a image/png body, not shown)");
  });

  it("shows no control characters: a body cannot move the cursor or hide text on a terminal", () => {
    const shown = excerptOf("text/plain", bytes("ok\u001b[2J\u0007\u202eevil\r\nnext"));
    expect(shown).toBe("ok [2J evil next");
  });

  it("masks values that look like secrets, keeping their names", () => {
    expect(maskSecrets('{"password":"hunter2","user":"bob"}')).toBe('{"password":"***","user":"bob"}');
    expect(maskSecrets("token=abc123&x=1")).toBe("token=***&x=1");
    expect(maskSecrets("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).toBe("Authorization: ***");
    expect(maskSecrets("db postgres://orders:s3cret@db/orders down")).toBe(
      "db postgres://orders:***@db/orders down",
    );
    expect(maskSecrets("api_key: AKIAIOSFODNN7EXAMPLE")).toBe("api_key: ***");
  });

  it("reads no more than it shows from a response", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(bytes("x".repeat(256)));
      },
    });
    const response = new Response(stream, { headers: { "content-type": "text/plain" } });
    const shown = await bodyExcerpt(response);
    expect(shown).toBe(`${"x".repeat(EXCERPT_BYTES)}…`);
    // An endless body: read up to the limit, then cancelled.
    expect(pulled).toBeLessThan(6);
  });
});
