import type { ApiApp } from "./core.ts";
import { ProblemError } from "./problem-error.ts";

/**
 * JSON bodies are UTF-8 and nothing else (RFC 8259 §8.1). Fastify decodes every body as UTF-8
 * whatever its `charset` says, replacing bytes that are not UTF-8 with U+FFFD: a UTF-16 body or
 * a broken one would be stored changed without anyone being told. Here a `charset` other than
 * UTF-8 is a 415, and bytes that are not UTF-8 are a 400 naming the first bad byte's offset;
 * everything after decoding (empty body, syntax, `__proto__` keys) is Fastify's own parser.
 */
export function registerStrictJson(app: ApiApp): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const charset = charsetOf(request.headers["content-type"]);
    if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
      done(
        new ProblemError(
          "unsupported-media-type",
          `JSON bodies must be UTF-8, not charset=${charset.slice(0, 40)}; send the body as UTF-8 with Content-Type: application/json (charset=utf-8 or no charset)`,
        ),
        undefined,
      );
      return;
    }
    const bytes = body as Buffer;
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      done(
        new ProblemError(
          "malformed-request",
          `the body is not valid UTF-8 (first bad byte at offset ${firstInvalidByte(bytes)}); JSON bodies must be UTF-8`,
        ),
        undefined,
      );
      return;
    }
    parseJson(request, text, done);
  });
}

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when absent. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const param of contentType.split(";").slice(1)) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    return param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
  }
  return undefined;
}

/** Offset of the first byte where UTF-8 decoding fails (the decoder itself does not say). */
function firstInvalidByte(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Binary search over prefixes would split characters; a forward scan of sequences is exact.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + size));
    } catch {
      return i;
    }
    i += size;
  }
  return i;
}
