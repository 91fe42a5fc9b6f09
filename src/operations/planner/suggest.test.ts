// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax.
import { describe, expect, it } from "vitest";
import { describeFact } from "./facts.ts";
import { generalSuggestions, httpSuggestions, shellSuggestions } from "./suggest.ts";

describe("suggestions for steps nothing can undo", () => {
  it("names the undoable action that does what a shell command does", () => {
    expect(shellSuggestions("sudo rm -rf /srv/cache")[0]).toMatch(/^use file\.delete instead of shell rm/);
    expect(shellSuggestions("mv /a /b")[0]).toMatch(/^use file\.move/);
    expect(shellSuggestions("sed -i s/a/b/ /etc/x")[0]).toMatch(/^use file\.replace/);
    expect(shellSuggestions("echo hi > /etc/motd")[0]).toMatch(/^use file\.write/);
    expect(shellSuggestions("aws s3 rm s3://b/k")[0]).toMatch(/^use s3\.delete_object/);
    expect(shellSuggestions("make 2>&1 >/dev/null").join()).not.toContain("file.write");
    expect(shellSuggestions("./deploy.sh")).toEqual([
      "add `undo: { uses: shell.run, with: { command: … } }` with a command that reverses this one",
    ]);
  });

  it("proposes the inverse service command as the declared undo", () => {
    expect(shellSuggestions("systemctl start nginx")[0]).toBe(
      '`undo: { uses: shell.run, with: { command: "systemctl stop nginx" } }`'.replace(/^/, "add "),
    );
    expect(shellSuggestions("systemctl restart app")[0]).toContain('"systemctl restart app"');
  });

  it("proposes a compensation by HTTP method", () => {
    expect(httpSuggestions("post", "http://h/items")[0]).toContain(
      'url: "http://h/items/${steps.<this step>.output.body.id}"',
    );
    expect(httpSuggestions("DELETE", "http://h/items/1")[0]).toContain("recreates it");
    expect(httpSuggestions("GET", "http://h/")[0]).toContain("declare `undo: { uses: noop }`");
  });

  it("tells a step that is not last to move last", () => {
    expect(generalSuggestions(false)[0]).toContain("move the step last");
    expect(generalSuggestions(true).join()).not.toContain("move the step last");
  });

  it("suggests only what docs/operations.md documents (no 'checkpoint': there is none)", () => {
    const said = generalSuggestions(false).join("\n");
    expect(said).not.toMatch(/checkpoint/i);
    expect(said).toContain("`opsdojo runs commit`");
  });
});

describe("describeFact", () => {
  it("says each kind of fact in words", () => {
    const sha = "a".repeat(64);
    expect(describeFact({ variable: "path:/a", value: `file:${sha}` })).toBe(
      "file /a exists with content aaaaaaaaaaaa…",
    );
    expect(describeFact({ variable: "path:/a", value: "link:../b" })).toBe("symlink /a → ../b");
    expect(describeFact({ variable: "mode:/a", value: "0640" })).toBe("/a has mode 0640");
    expect(describeFact({ variable: "bucket:b", value: "absent" })).toBe("bucket b does not exist");
    expect(describeFact({ variable: "object:b/k/x", value: "object:h|m" })).toBe(
      "object b/k/x exists with content h and metadata m",
    );
    expect(describeFact({ variable: 'item:t/{"id":1}', value: "attrs:a" })).toBe(
      'item t/{"id":1} has attributes a',
    );
    expect(describeFact({ variable: "table:t", value: "schema:s" })).toBe("table t exists with schema s");
  });
});
