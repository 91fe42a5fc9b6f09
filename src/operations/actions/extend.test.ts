// biome-ignore-all lint/suspicious/noTemplateCurlyInString: operation files' own ${…} references, written literally
import { readFile, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { irreversibleSteps, runOperation, undoRunById } from "../engine/index.ts";
import { OperationFileError, parseOperation } from "../loader/index.ts";
import type { ActionModel, PathNode, Resource } from "../planner/index.ts";
import { classifyOperation, planRestore } from "../planner/index.ts";
import { ActionInputError, type ActionProvider } from "../providers/index.ts";
import { ACTIONS, defineAction } from "./index.ts";

// --- The new action's "folder": its provider and its model --------------------------------------

type StampInput = { path: string; text: string };
/** What was at the path before: its text, or null for nothing. */
type StampState = { previous: string | null };

const fakeStamp: ActionProvider<StampInput, StampState, { path: string }> = {
  action: "fake.stamp",
  validate(input) {
    for (const key of Object.keys(input))
      if (key !== "path" && key !== "text") throw new ActionInputError("fake.stamp", key, "unknown field");
    if (typeof input.path !== "string" || !isAbsolute(input.path))
      throw new ActionInputError("fake.stamp", "path", "must be an absolute path");
    if (typeof input.text !== "string") throw new ActionInputError("fake.stamp", "text", "must be a string");
  },
  async describe(input) {
    return [{ resource: `file ${input.path}`, change: "modify" }];
  },
  async capture(input) {
    return { previous: await readFile(input.path, "utf8").catch(() => null) };
  },
  async act(input) {
    await writeFile(input.path, input.text);
    return { path: input.path };
  },
  async undo(input, state) {
    if (state.previous === null) await rm(input.path, { force: true });
    else await writeFile(input.path, state.previous);
    return { restored: true };
  },
};

const at = (path: string, node: PathNode): Resource => ({ type: "path", path, node });
const fakeStampModel: ActionModel = {
  action: "fake.stamp",
  kind: "modelled",
  effects: (i) => [{ resource: `file ${String(i.path)}`, change: "modify" }],
  cases(i) {
    const p = String(i.path ?? "<path>");
    const before = (node: PathNode) => [at(p, node)];
    const after = [at(p, { kind: "file", hash: "<new>", mode: "0644" })];
    const undo = (node: PathNode) => ({
      type: "inverse" as const,
      action: "fake.stamp.undo",
      restores: before(node),
    });
    const previous: PathNode = { kind: "file", hash: "<previous>", mode: "0644" };
    return [
      {
        label: "nothing was there",
        problem: { before: before({ kind: "absent" }), after, records: [undo({ kind: "absent" })] },
      },
      {
        label: "a stamp was there",
        problem: {
          before: before(previous),
          after,
          records: [{ type: "blob", hash: "<previous>" }, undo(previous)],
        },
      },
    ];
  },
};

// --- The one place it is registered --------------------------------------------------------------

const actions = ACTIONS.extend([
  defineAction("fake.stamp", { provider: fakeStamp, model: fakeStampModel, undo: "automatic" }),
]);

// -------------------------------------------------------------------------------------------------

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const operation = (dir: string, path = "${target.dir}/stamp") => `opsdojo: operation/v1
name: stamp
targets:
  - { name: t, vars: { dir: "${dir}" } }
steps:
  - name: stamp
    uses: fake.stamp
    with: { path: "${path}", text: "stamped by \${run.id}" }
`;

describe("adding an action: one folder, one registry line", () => {
  it("is loaded, validated, classified, run and undone through the registry it was added to", async () => {
    const dir = await tempDir();
    const file = join(dir, "stamp.yaml");

    // Loaded: the schema's enum is the registry's — the built-in one does not know the action.
    expect(() => parseOperation(operation(dir), file)).toThrow(OperationFileError);
    const op = parseOperation(operation(dir), file, { actions });
    expect(op.steps[0]?.uses).toBe("fake.stamp");

    // Validated: the provider's own input check, at the file's line and column.
    let refused: unknown;
    try {
      parseOperation(operation(dir, "relative/stamp"), file, { actions });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(OperationFileError);
    expect(
      (refused as OperationFileError).issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`),
    ).toEqual(["8:19 steps[0].with.path: fake.stamp: must be an absolute path"]);

    // Classified: the planner undoes it from its model, with one action.
    const [classified] = classifyOperation(op, { actions });
    expect(classified?.class).toBe("automatic");
    expect(classified?.plan?.map((a) => a.action)).toEqual(["fake.stamp.undo"]);
    expect(irreversibleSteps(op, actions)).toEqual([]);

    // Run and undone by the real engine, journalled in a real SQLite store.
    await writeFile(join(dir, "stamp"), "before\n");
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000, actions };
    const run = await runOperation({ operation: op, operationId: "op_stamp", params: {} }, options);
    expect(run.status).toBe("succeeded");
    expect(await readFile(join(dir, "stamp"), "utf8")).toBe(`stamped by ${run.id}`);

    const undone = await undoRunById(run.id, { operation: op, params: {} }, options);
    expect(undone.status).toBe("rolled_back");
    expect(await readFile(join(dir, "stamp"), "utf8")).toBe("before\n");
  });

  it("is planned with the model it was registered with", () => {
    const problem = fakeStampModel.cases({ path: "/srv/stamp" })[1]?.problem;
    expect(problem && planRestore(problem).found).toBe(true);
  });
});
