import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskMessage, signature, splitTokens } from "./mask.ts";
import { TemplateMiner } from "./miner.ts";
import { extractParameters } from "./parameters.ts";
import { type SkeletonKey, skeletonKey } from "./skeleton.ts";

const masked = (message: string) => maskMessage(message).join(" ");

describe("values written over several tokens", () => {
  it.each([
    ["ctime / asctime", "connection at Mon Jul 25 03:13:58 2005", "connection at <*>"],
    ["`date` with a zone", "built #1 Sat Jul  9 22:53:22 EDT 2005 ok", "built #<*> <*> ok"],
    ["syslog (RFC 3164) without a year", "since Jul 25 03:13:58 host up", "since <*> host up"],
    ["RFC 5322 / HTTP date", "Date: Mon, 25 Jul 2005 03:13:58 +0000 sent", "Date: <*> sent"],
    ["RFC 5322 date in GMT", "Expires Tue, 01 Aug 2006 10:00:00 GMT", "Expires <*>"],
    [
      "ISO date and time with a space",
      "from 2017-05-16 22:00:00 to 2017-05-16 23:00:00.",
      "from <*> to <*>.",
    ],
    ["ISO with fractions and a zone token", "at 2017-05-16 22:00:00.123 +0000 done", "at <*> done"],
    ["ISO with a zone stuck to the time", "at 2017-05-16 22:00:00+02:00 done", "at <*> done"],
    ["a key before the value", "when=2017-07-07 21:33:12 +0000 n=1", "when=<*> n=<*>"],
    ["punctuation around the value stays", "at (Sat Jul 9 22:53:22 2005), ok", "at (<*>), ok"],
    [
      "HTTP request line: target and version",
      '1.2.3.4 "GET /v2/a/servers/detail HTTP/1.1" 200',
      '<*> "GET <*>" <*>',
    ],
    ["HTTP request, absolute form, HTTP/2", '"POST http://h/x?y=1 HTTP/2", ok', '"POST <*>", ok'],
    ["HTTP request without quotes", "GET /index.html HTTP/1.0", "GET <*>"],
  ])("%s", (_name, message, expected) => {
    expect(masked(message)).toBe(expected);
  });

  it.each([
    ["a day name alone", "on Mon we start", "on <*> we start"],
    ["a month and a number without a time", "May 3 be late", "<*> <*> be late"],
    ["an ISO date before a word", "2017-05-16 INFO started", "<*> INFO started"],
    ["capitals after an ISO time are a word, not a zone", "2017-05-16 22:00:00 INFO up", "<*> INFO up"],
    ["a time that goes on (not a time)", "Jul 25 03:13:58:7 x", "<*> <*> <*>:<*>:<*>:<*> x"],
    ["a path after a word that is not a method", "GOT /a HTTP/1.1", "GOT <*> HTTP/<*>"],
    ["a request without a version", '"GET /a"', '"GET <*>"'],
    ["a request target that is not one", "GET a HTTP/1.1", "GET a HTTP/<*>"],
  ])("not a span: %s", (_name, message, expected) => {
    expect(masked(message)).toBe(expected);
  });

  it("gives one original token per masked token, the span with its spaces", () => {
    const message = 'x "GET /a/b HTTP/1.1" at Sat Jul  9 22:53:22 2005.';
    expect(splitTokens(message)).toEqual(["x", '"GET', '/a/b HTTP/1.1"', "at", "Sat Jul  9 22:53:22 2005."]);
    expect(maskMessage(message)).toEqual(["x", '"GET', '<*>"', "at", "<*>."]);
  });

  it("extracts the whole span as one parameter", () => {
    const miner = new TemplateMiner();
    const id = miner.add("connection from 10.0.0.1 at Mon Jul 25 03:13:58 2005");
    miner.add("connection from 10.0.0.2 at Tue Jul 26 13:01:02 2005");
    const template = miner.template(id);
    expect(template?.tokens.join(" ")).toBe("connection from <*> at <*>");
    if (template === undefined) return;
    expect(extractParameters(template, "connection from 10.0.0.9 at Wed Jul 27 00:00:01 2005")).toEqual([
      "10.0.0.9",
      "Wed Jul 27 00:00:01 2005",
    ]);
  });

  it("keeps the skeleton cache sound: one skeleton, one signature, one token count", () => {
    // Messages built from the words that spans look at, so that near-misses are frequent.
    const words = fc.constantFrom(
      "Mon",
      "Mon,",
      "(Sat",
      "Jul",
      "9",
      "25",
      "03:13:58",
      "03:13:58.5",
      "2005",
      "2005)",
      "EDT",
      "+0000",
      "2017-05-16",
      "at=2017-05-16",
      "22:00:00",
      "GET",
      '"POST',
      "/a/b",
      "h:/x",
      "HTTP/1.1",
      'HTTP/2"',
      "x",
    );
    const keyOf = (message: string): SkeletonKey => {
      const key = { hash: 0, length: 0, names: 0 };
      skeletonKey(message, key);
      return key;
    };
    fc.assert(
      fc.property(fc.array(words, { maxLength: 10 }), fc.constantFrom(" ", "  ", "\t"), (tokens, gap) => {
        const m1 = tokens.join(" ");
        const m2 = tokens.join(gap).replace(/\d/g, (d) => String((Number(d) + 3) % 10));
        const k1 = keyOf(m1);
        const k2 = keyOf(m2);
        if (k1.hash === k2.hash && k1.length === k2.length && k1.names === k2.names)
          expect(signature(m2)).toBe(signature(m1));
        expect(splitTokens(m1).length).toBe(maskMessage(m1).length);
      }),
      { numRuns: 3000 },
    );
  });
});
