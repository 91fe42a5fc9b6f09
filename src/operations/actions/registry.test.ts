import { describe, expect, it } from "vitest";
import { defaultProviders, irreversibleSteps } from "../engine/index.ts";
import { parseOperation } from "../loader/index.ts";
import { KNOWN_ACTIONS, operationJsonSchema } from "../model/index.ts";
import { type ActionModel, classifyStep, opaqueModel } from "../planner/index.ts";
import { noop } from "../providers/index.ts";
import {
  ACTIONS,
  ActionRegistryError,
  BUILT_IN_ACTIONS,
  createActionRegistry,
  defineAction,
  stepUndoClass,
  v1UndoName,
} from "./index.ts";

/** Actions whose effects nobody can name: opaque on purpose, each added here deliberately. */
const OPAQUE_ON_PURPOSE = ["shell.run", "http.request"];

describe("the built-in action registry", () => {
  it("gives every action a provider and a model of its own; only the listed ones are opaque", () => {
    for (const entry of BUILT_IN_ACTIONS) {
      expect(entry.provider.action, entry.name).toBe(entry.name);
      expect(entry.model, `${entry.name} has no model`).toBeDefined();
      expect(entry.model.action, entry.name).toBe(entry.name);
    }
    const opaque = BUILT_IN_ACTIONS.filter((e) => e.model.kind === "opaque").map((e) => e.name);
    expect(opaque).toEqual(OPAQUE_ON_PURPOSE);
    for (const name of OPAQUE_ON_PURPOSE) expect(ACTIONS.undoOf(name)).toBe("irreversible");
  });

  it("declares for each action the class the planner finds from its model", () => {
    for (const { name, undo } of BUILT_IN_ACTIONS) {
      const found = classifyStep({ name: "s", uses: name as never, with: {} });
      expect(`${name}: ${found.class}`).toBe(`${name}: ${undo}`);
      expect(stepUndoClass({ uses: name })).toBe(undo);
    }
  });

  it("is where the schema enum, KNOWN_ACTIONS, the engine's providers and the planner's models come from", () => {
    const names = [...ACTIONS.names];
    expect(names.filter((n) => !n.startsWith("ec2."))).toHaveLength(36);
    expect(names.filter((n) => n.startsWith("ec2."))).toHaveLength(24);
    expect([...KNOWN_ACTIONS]).toEqual(names);
    const schema = operationJsonSchema() as {
      properties: { steps: { items: { properties: { uses: { enum: string[] } } } } };
    };
    expect(schema.properties.steps.items.properties.uses.enum).toEqual(names);
    expect([...defaultProviders().keys()]).toEqual(names);
    expect([...ACTIONS.models.keys()]).toEqual(names);
  });

  it("names a step's undo in the one vocabulary, and in the API's v1 names", () => {
    const op = parseOperation(
      `opsdojo: operation/v1
name: vocabulary
steps:
  - { name: write, uses: file.write, with: { path: /tmp/x, content: "" } }
  - { name: drop, uses: s3.delete_bucket, with: { bucket: logs } }
  - { name: restart, uses: shell.run, with: { command: "true" }, undo: { uses: noop } }
  - { name: purge, uses: shell.run, with: { command: "true" } }
  - { name: forget, uses: noop, undo: none }
`,
      "vocabulary.yaml",
    );
    expect(op.steps.map((s) => stepUndoClass(s))).toEqual([
      "automatic",
      "planned",
      "declared",
      "irreversible",
      "irreversible",
    ]);
    expect(op.steps.map((s) => v1UndoName(s))).toEqual([
      "automatic",
      "automatic",
      "declared",
      "missing",
      "none",
    ]);
    // The planner agrees wherever the registry alone can tell.
    expect(irreversibleSteps(op)).toEqual(["purge", "forget"]);
  });
});

describe("createActionRegistry", () => {
  const model = (action: string): ActionModel => ({ ...opaqueModel(action, () => action), kind: "modelled" });
  const provider = (action: string) => ({ ...noop, action });

  it("refuses an action without a model, naming it and saying what to do", () => {
    const entry = { name: "fake.nomodel", provider: provider("fake.nomodel"), undo: "automatic" as const };
    let error: unknown;
    try {
      createActionRegistry([{ ...entry, model: undefined as unknown as ActionModel }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionRegistryError);
    expect((error as ActionRegistryError).code).toBe("action_registry_invalid");
    expect((error as Error).message).toBe(
      "action fake.nomodel has no model: give it one beside its provider (an ActionModel), or declare its effects unknown on purpose with opaqueModel()",
    );
  });

  it("refuses a model or provider of another action, a name twice, and an opaque action said to undo itself", () => {
    const good = defineAction("fake.a", {
      provider: provider("fake.a"),
      model: model("fake.a"),
      undo: "automatic",
    });
    expect(() => createActionRegistry([{ ...good, model: model("fake.b") }])).toThrow(
      'action fake.a has the model of "fake.b"',
    );
    expect(() => createActionRegistry([{ ...good, provider: provider("fake.b") }])).toThrow(
      'action fake.a has the provider of "fake.b"',
    );
    expect(() => createActionRegistry([good, good])).toThrow("action fake.a is registered twice");
    expect(() =>
      createActionRegistry([{ ...good, model: opaqueModel("fake.a", () => "something") }]),
    ).toThrow(
      "is opaque (its effects are unknown), so a step of it without undo: is irreversible, not automatic",
    );
    expect(() => ACTIONS.extend([defineAction("file.write", BUILT_IN_ACTIONS[0])])).toThrow(
      "action file.write is registered twice",
    );
  });

  it("extends a registry without changing it", () => {
    const more = ACTIONS.extend([
      defineAction("fake.a", { provider: provider("fake.a"), model: model("fake.a"), undo: "automatic" }),
    ]);
    expect(more.names.at(-1)).toBe("fake.a");
    expect(more.undoOf("fake.a")).toBe("automatic");
    expect(ACTIONS.has("fake.a")).toBe(false);
  });
});
