import { describe, expect, it } from "vitest";
import { leakIn } from "./leaks.ts";

describe("leakIn", () => {
  it("finds Node stack frames, named, anonymous, async and html-escaped in a default error page", () => {
    expect(leakIn("Error: boom\n    at handler (/srv/app/src/routes.js:10:5)")).toContain("a stack frame");
    expect(leakIn("    at /app/server.mjs:3:14")).toContain("a stack frame");
    expect(leakIn("    at async Promise.all (file:///app/x.mjs:1:2)")).toContain("a stack frame");
    const express =
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/w/node_modules/body-parser/lib/types/json.js:92:19)</pre>\n</body>\n</html>\n';
    expect(leakIn(express)).toContain("a stack frame");
  });

  it("finds tracebacks of other languages", () => {
    expect(leakIn('Traceback (most recent call last):\n  File "/app/main.py", line 3')).toContain("Python");
    expect(leakIn('  File "/usr/lib/python3/site.py", line 12, in run')).toContain("Python");
    expect(leakIn("at com.acme.Api.get(Api.java:42)")).toContain("Java");
    expect(leakIn("panic: nil map\n\ngoroutine 1 [running]:")).toContain("Go panic");
    expect(leakIn("app/models/user.rb:12:in `save'")).toContain("Ruby");
  });

  it("finds frameworks' default error pages", () => {
    const page =
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Bad Request</pre>\n</body>\n</html>\n';
    expect(leakIn(page)).toContain("Express's default error page");
    expect(leakIn("<body><pre>Cannot GET /x</pre></body>")).toContain("Express");
    expect(leakIn("<h1>Whitelabel Error Page</h1>")).toContain("Spring");
    expect(leakIn("you have <code>DEBUG = True</code> in your Django settings")).toContain("Django");
    expect(leakIn('{"statusCode":400,"code":"FST_ERR_CTP_EMPTY_JSON_BODY","error":"Bad Request"}')).toContain(
      "Fastify",
    );
  });

  it("finds paths, SQL, driver errors and exception names in error bodies", () => {
    expect(leakIn('{"message":"ENOENT: no such file, open \'/home/ci/app/data/db.json\'"}')).toContain(
      "path",
    );
    expect(leakIn('{"message":"cannot load /home/ci/app/src/db.ts"}')).toContain("a file path");
    expect(leakIn('{"message":"C:\\\\srv\\\\app\\\\index.js failed"}')).toContain("a file path");
    expect(leakIn("SELECT id FROM services WHERE name = 'x'")).toContain("SQL");
    expect(leakIn('{"detail":"SQLITE_CONSTRAINT_UNIQUE"}')).toContain("database error");
    expect(leakIn('{"message":"Unexpected end of JSON input"}')).toContain("exception");
    expect(leakIn('{"message":"Unexpected token \'b\', \\"broken\\" is not valid JSON"}')).toBeUndefined();
  });

  it("judges weaker signs only in error bodies", () => {
    const data = '{"items":[{"path":"/srv/app/index.js","query":"SELECT a FROM b"}]}';
    expect(leakIn(data, { errorBody: false })).toBeUndefined();
    expect(leakIn(data)).toBeDefined();
    expect(leakIn("Error\n    at run (/srv/app/x.js:1:2)", { errorBody: false })).toContain("stack frame");
  });

  it("leaves ordinary problem details alone", () => {
    for (const text of [
      '{"type":"https://x/problems/validation","title":"Invalid","status":400,"detail":"name: expected a string"}',
      '{"detail":"update the entry and set If-Match to its ETag"}',
      '{"detail":"filter: expected a field name at position 3"}',
      '{"detail":"see /docs/errors.md for what to do"}',
      "Not Found",
    ])
      expect(leakIn(text)).toBeUndefined();
  });
});
