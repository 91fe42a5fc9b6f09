import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { FileUnreadableError, InvalidInputError, messageOf, plural } from "../../core/index.ts";
import {
  type ConflictPolicy,
  classifyOperation,
  DEFAULT_CONFLICT_POLICY,
  defaultProviders,
  HostSessions,
  inventoryTargets,
  loadOperation,
  type ModelEffect,
  type Operation,
  type ParamValue,
  parseOperation,
  previewInput,
  resolveParams,
  type StepClassification,
  sourceWithTargets,
  type Target,
  targetsOf,
  UNDO_CLASSES,
  type UndoClass,
} from "../../operations/index.ts";
import type { BlobStore } from "../../store/index.ts";
import type { Session } from "../context.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import { collectEach } from "../list-options.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { remoteOptionsOf, type SshFlags, withSshFlags } from "./ssh-flags.ts";

/**
 * `opsdojo plan FILE --json` prints (docs/operations.md "Undoability check and planner"):
 *
 * ```json
 * { "file": "ops.yaml", "operation": "clean-bucket", "undoable": false,
 *   "summary": { "automatic": 1, "declared": 0, "planned": 1, "irreversible": 1 },
 *   "steps": [{ "name": "drop", "uses": "s3.delete_bucket", "class": "planned",
 *               "reason": "…", "case": "the bucket held objects",
 *               "plan": [{ "action": "s3.create_bucket", "args": ["logs"], "description": "create bucket logs" }, …],
 *               "suggestions": [], "effects": [{ "resource": "bucket logs", "change": "delete" }],
 *               "previews": [{ "target": "local", "source": "model", "note": "…", "effects": […] }] }] }
 * ```
 */
export interface PlanReport {
  readonly file: string;
  readonly operation: string;
  readonly undoable: boolean;
  readonly summary: Readonly<Record<UndoClass, number>>;
  readonly steps: readonly PlannedStep[];
}

export interface PlannedStep extends Omit<StepClassification, "step"> {
  readonly name: string;
  /**
   * What undo does when it finds this step's resources changed since (reconcile): the step's
   * `on_conflict`, else refuse; absent for steps whose undo does not reconcile (an explicit
   * `undo:`, shell, http).
   */
  readonly on_conflict?: ConflictPolicy;
  readonly previews: readonly Preview[];
}

export interface Preview {
  readonly target: string;
  /** `provider`: the action's own `describe`, read from the machine; `model`: the planner's model, nothing read. */
  readonly source: "provider" | "model";
  readonly note?: string;
  readonly effects: readonly ModelEffect[];
}

/** Previews must not change anything: a store that keeps nothing and refuses to. */
const READ_ONLY_BLOBS: BlobStore = {
  put: async () => {
    throw new Error("plan changes nothing: a preview tried to store bytes");
  },
  get: async () => undefined,
  has: async () => false,
  delete: async () => {},
};

export interface PlanFlags extends SshFlags {
  readonly param?: string[];
  readonly inventory?: string;
  readonly limit?: string;
}

export async function planOperation(
  file: string,
  options: PlanFlags,
  session: Pick<Session, "warnings"> = { warnings: [] },
): Promise<CommandResult> {
  if (options.limit !== undefined && options.inventory === undefined)
    throw new InvalidInputError("--limit selects hosts of an inventory: give --inventory FILE too");
  const op =
    options.inventory === undefined
      ? await loadOperation(file)
      : // As `run` does: the inventory's hosts replace the file's targets.
        parseOperation(
          sourceWithTargets(await readSource(file), await inventoryTargets(options.inventory, options.limit)),
          file,
        );
  const params = resolveParams(options.param ?? [], op);
  const hosts = new HostSessions(targetsOf(op), params, remoteOptionsOf(options, session));
  const report = await buildReport(file, op, params, hosts).finally(() => hosts.close());
  return {
    json: report,
    text: (s) => renderReport(report, s),
    exitCode: report.undoable ? EXIT_CODES.ok : EXIT_CODES.refused,
  };
}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
}

export async function buildReport(
  file: string,
  op: Operation,
  params: Readonly<Record<string, ParamValue>>,
  hosts?: HostSessions,
): Promise<PlanReport> {
  const targets = targetsOf(op);
  const perTarget = targets.map((target) => classifyOperation(op, { params, target }));
  const rank = (c: UndoClass) => UNDO_CLASSES.indexOf(c);
  const providers = defaultProviders();
  const steps: PlannedStep[] = [];
  for (const [i, step] of op.steps.entries()) {
    // The same step may fare differently on different targets: report the worst.
    let worst = perTarget[0]?.[i] as StepClassification;
    for (const classes of perTarget) {
      const c = classes[i] as StepClassification;
      if (rank(c.class) > rank(worst.class)) worst = c;
    }
    const previews: Preview[] = [];
    for (const [t, target] of targets.entries()) {
      previews.push(
        await preview(step, target, params, perTarget[t]?.[i] as StepClassification, providers, hosts),
      );
    }
    steps.push({
      name: worst.step,
      uses: worst.uses,
      class: worst.class,
      reason: worst.reason,
      ...(worst.case !== undefined ? { case: worst.case } : {}),
      ...(worst.plan !== undefined ? { plan: worst.plan } : {}),
      suggestions: worst.suggestions,
      effects: worst.effects,
      ...(providers.get(step.uses)?.reconcile && step.undo === undefined
        ? { on_conflict: step.on_conflict ?? DEFAULT_CONFLICT_POLICY }
        : {}),
      previews,
    });
  }
  const summary = Object.fromEntries(
    UNDO_CLASSES.map((c) => [c, steps.filter((s) => s.class === c).length]),
  ) as Record<UndoClass, number>;
  return { file, operation: op.name, undoable: summary.irreversible === 0, summary, steps };
}

async function preview(
  step: Operation["steps"][number],
  target: Target,
  params: Readonly<Record<string, ParamValue>>,
  classification: StepClassification,
  providers: ReturnType<typeof defaultProviders>,
  hosts: HostSessions | undefined,
): Promise<Preview> {
  const provider = providers.get(step.uses);
  const modelled = { target: target.name, source: "model" as const, effects: classification.effects };
  if (provider === undefined) {
    return {
      ...modelled,
      note: `${step.uses} is not available in this build: effects as modelled, nothing read`,
    };
  }
  const input = previewInput(step.with ?? {}, {
    params,
    target: { name: target.name, vars: target.vars ?? {} },
    run: { id: "<run id>" },
  });
  if (JSON.stringify(input).includes("<steps.")) {
    return { ...modelled, note: "uses the output of an earlier step: known only when it runs" };
  }
  try {
    provider.validate(input);
    // A target over SSH is read on its host (the file actions' describe reads over SFTP).
    const host = hosts?.hostOf(target);
    const effects = await provider.describe(input, {
      runId: "plan",
      blobs: READ_ONLY_BLOBS,
      signal: AbortSignal.timeout(10_000),
      ...(host ? { host } : {}),
    });
    return { target: target.name, source: "provider", effects };
  } catch (error) {
    // The machine could not be read (no credentials, an endpoint down, a path that fails the
    // checks): what the model says still names the resources.
    const reason = messageOf(error).split("\n")[0] ?? "";
    return { ...modelled, note: `could not read the current state (${reason}): effects as modelled` };
  }
}

const MARK: Readonly<Record<UndoClass, (s: Style) => (t: string) => string>> = {
  automatic: (s) => s.green,
  declared: (s) => s.cyan,
  planned: (s) => s.yellow,
  irreversible: (s) => s.red,
};

export function renderReport(report: PlanReport, s: Style): string {
  const { summary } = report;
  const counts = UNDO_CLASSES.filter((c) => summary[c] > 0)
    .map((c) => `${summary[c]} ${c}`)
    .join(", ");
  const lines = [
    `${s.bold(report.operation)}: ${plural(report.steps.length, "step")} — ${counts}`,
    "",
    table(
      ["STEP", "ACTION", "UNDO", "HOW"],
      report.steps.map((st) => [st.name, st.uses, MARK[st.class](s)(st.class), oneLine(st)]),
      s,
    ),
  ];
  lines.push(...conflictPolicyLines(report.steps, s));
  const planned = report.steps.filter((st) => st.class === "planned");
  if (planned.length > 0) {
    lines.push("", s.bold("Planned undo"));
    for (const st of planned) {
      lines.push(`  ${st.name} (${st.uses})${st.case ? `, when ${st.case}` : ""}:`);
      for (const [i, a] of (st.plan ?? []).entries()) lines.push(`    ${i + 1}. ${a.description}`);
    }
  }
  const irreversible = report.steps.filter((st) => st.class === "irreversible");
  if (irreversible.length > 0) {
    lines.push("", s.bold(s.red("Irreversible")));
    for (const st of irreversible) {
      lines.push(`  ${st.name} (${st.uses}): ${st.reason}`);
      for (const advice of st.suggestions) lines.push(s.dim(`    → ${advice}`));
    }
  }
  lines.push(
    "",
    s.bold("Effects"),
    s.dim(
      "  nothing was changed; each step is previewed against the state now, not after the steps before it",
    ),
  );
  for (const st of report.steps) {
    for (const p of st.previews) {
      const where = report.steps.length > 0 && st.previews.length > 1 ? ` [${p.target}]` : "";
      lines.push(`  ${st.name}${where}${p.note ? s.dim(` (${p.note})`) : ""}`);
      for (const e of p.effects) {
        const [first, ...more] = (e.detail ?? "").split("\n");
        lines.push(`    ${e.resource}: ${e.change}${first ? ` — ${first}` : ""}`);
        for (const line of more) lines.push(s.dim(`      ${line}`));
      }
    }
  }
  lines.push(
    "",
    report.undoable
      ? s.green("every step can be undone")
      : s.red(
          `${plural(summary.irreversible, "step")} cannot be undone: opsdojo run refuses them without --yes`,
        ),
  );
  return lines.join("\n");
}

/** Which conflict policy each reconciling step's undo applies (docs/operations.md, reconcile). */
function conflictPolicyLines(steps: readonly PlannedStep[], s: Style): string[] {
  const by = new Map<string, string[]>();
  for (const st of steps)
    if (st.on_conflict) by.set(st.on_conflict, [...(by.get(st.on_conflict) ?? []), st.name]);
  if (by.size === 0) return [];
  const each = [...by].map(([policy, names]) => (by.size === 1 ? policy : `${policy} (${names.join(", ")})`));
  return ["", `${s.bold("On conflict")} (undo finds what a step changed changed again): ${each.join("; ")}`];
}

function oneLine(st: PlannedStep): string {
  const steps = st.plan ?? [];
  switch (st.class) {
    case "planned":
      return `${steps.length} actions (below)`;
    case "irreversible":
      return st.reason.length > 70 ? `${st.reason.slice(0, 69)}…` : st.reason;
    case "declared":
      return st.reason.length > 70 ? `${st.reason.slice(0, 69)}…` : st.reason;
    default:
      return steps.length === 0
        ? "nothing to undo"
        : `its own undo (${steps.map((a) => a.action).join(", ")})`;
  }
}

export function planCommand(session: Session, run: Runner): Command {
  const command = new Command("plan")
    .description("classify every step automatic | declared | planned | irreversible and preview its effects")
    .argument("<file>", "YAML or JSON operation file (operation/v1)")
    .option("--param <k=v>", "a parameter; repeat for more", collectEach)
    .option("--inventory <file>", "preview on an inventory's hosts over SSH (as run does)")
    .option("--limit <pattern>", "only the inventory's hosts this pattern selects");
  return withSshFlags(command)
    .addHelpText(
      "after",
      "\nNothing is changed. Exit codes: 0 every step can be undone, 3 a step cannot (or the file is invalid), 64 usage.\n\nExample:\n  opsdojo plan examples/operations/clean-releases.yaml --param keep=2 --json\n",
    )
    .action((file: string, options: PlanFlags) => run(() => planOperation(file, options, session)));
}
