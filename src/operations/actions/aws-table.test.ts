import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { BUILT_IN_ACTIONS } from "./built-in.ts";

// docs/operations.md tables every AWS action next to the reference's 35; the registry is the one
// list of actions, so the table must name exactly the registry's AWS actions, and mark as "by
// plan" exactly those whose undo class is `planned`.

const DOC = new URL("../../../docs/operations.md", import.meta.url);
const AWS = /^(ec2|elbv2|autoscaling|iam|route53|s3|dynamodb)\./;

/** The action names of one table cell: `a` / `b` pairs, and `x_ingress` / `_egress` shorthands. */
function namesIn(cell: string): string[] {
  const names: string[] = [];
  for (const [, code = ""] of cell.matchAll(/`([^`]+)`/g)) {
    const previous = names.at(-1);
    if (code.startsWith("_") && previous !== undefined) names.push(previous.replace(/_[a-z]+$/, code));
    else if (!code.includes(".") && previous !== undefined)
      names.push(`${previous.slice(0, previous.indexOf("."))}.${code}`);
    else names.push(code);
  }
  return names;
}

async function tableRows(): Promise<{ names: string[]; undo: string }[]> {
  const text = await readFile(DOC, "utf8");
  const start = text.indexOf("## The AWS actions next to the reference's 35");
  const section = text.slice(start, text.indexOf("\n## ", start + 1));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const cells = line.split(" | ");
      return { names: namesIn(cells[0] ?? ""), undo: cells[2] ?? "" };
    });
}

describe("docs/operations.md: the table of AWS actions", () => {
  it("names every AWS action of the registry, once, and nothing else", async () => {
    const documented = (await tableRows()).flatMap((r) => r.names);
    const registered = BUILT_IN_ACTIONS.map((e) => e.name).filter((n) => AWS.test(n));
    expect([...documented].sort()).toEqual([...registered].sort());
    expect(registered).toHaveLength(49);
  });

  it('says "by plan" exactly where the registry says the undo is planned', async () => {
    const byPlan = (await tableRows()).filter((r) => r.undo.startsWith("by plan")).flatMap((r) => r.names);
    const planned = BUILT_IN_ACTIONS.filter((e) => AWS.test(e.name) && e.undo === "planned").map(
      (e) => e.name,
    );
    expect(byPlan.sort()).toEqual(planned.sort());
  });
});
