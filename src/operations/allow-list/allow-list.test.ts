import { describe, expect, it } from "vitest";
import { parseOperation } from "../loader/index.ts";
import { ActionNotAllowedError, AllowList, AllowListError, actionsUsed } from "./index.ts";

const OPERATION = `opsdojo: operation/v1
name: roll
steady_state:
  - tcp: { host: 127.0.0.1, port: 8080 }
steps:
  - name: write
    uses: file.write
    with: { path: /tmp/a, content: x }
    post:
      - command: { run: "true" }
  - name: tell
    uses: http.request
    with: { url: "http://127.0.0.1:1/x" }
    undo: { uses: shell.run, with: { command: "echo undo" } }
`;

describe("AllowList", () => {
  it("matches exact actions, families and *", () => {
    const list = AllowList.parse("file.*, s3.put_object", "--allow-actions");
    expect(list.entries).toEqual(["file.*", "s3.put_object"]);
    expect(list.allows("file.write")).toBe(true);
    expect(list.allows("s3.put_object")).toBe(true);
    expect(list.allows("s3.delete_bucket")).toBe(false);
    expect(list.allows("shell.run")).toBe(false);
    expect(AllowList.parse("*", "x").allows("shell.run")).toBe(true);
  });

  it("refuses entries that name no action, so a typo cannot change what runs", () => {
    expect(() => AllowList.parse("file.*,shel.run", "--allow-actions")).toThrow(AllowListError);
    expect(() => AllowList.parse("nothing.*", "OPSDOJO_ALLOW_ACTIONS")).toThrow(
      'OPSDOJO_ALLOW_ACTIONS: "nothing.*" is not an action',
    );
    expect(() => AllowList.parse(" , ", "--allow-actions")).toThrow(AllowListError);
  });

  it("finds every action an operation executes: steps, explicit undo, and checks that run something", () => {
    const uses = actionsUsed(parseOperation(OPERATION, "roll.yaml"));
    expect(uses).toEqual([
      { action: "file.write", where: "steps[0]" },
      { action: "shell.run", where: "steps[0].post[0]" },
      { action: "http.request", where: "steps[1]" },
      { action: "shell.run", where: "steps[1].undo" },
    ]);
  });

  it("names each refused use and the allow-list", () => {
    const list = AllowList.parse("file.*", "--allow-actions");
    let error: unknown;
    try {
      list.check(actionsUsed(parseOperation(OPERATION, "roll.yaml")));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionNotAllowedError);
    const refused = error as ActionNotAllowedError;
    expect(refused.refused.map((r) => r.where)).toEqual(["steps[0].post[0]", "steps[1]", "steps[1].undo"]);
    expect(refused.message).toBe(
      "steps[0].post[0] uses shell.run (and 2 more use(s) of refused actions), which this server does not execute: it allows only file.* (opsdojo serve --allow-actions)",
    );
    expect(refused.code).toBe("action_not_allowed");
  });
});
