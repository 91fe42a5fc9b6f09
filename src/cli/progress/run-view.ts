import type { StatusStream } from "../context.ts";
import { styleFor } from "../output.ts";

/** A journal event as the view sees it (the journal's `JournalEvent`). */
export interface ViewEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly data: Record<string, unknown>;
}

type Cell = "pending" | "running" | "done" | "failed" | "undoing" | "undone" | "undo_failed";

const MARK: Record<Cell, string> = {
  pending: "·",
  running: "▸",
  done: "✓",
  failed: "✗",
  undoing: "↺",
  undone: "↩",
  undo_failed: "!",
};

type Note = (step: string, d: Record<string, unknown>) => string;

/** How each step event changes a target's row: the cell's new state and the note beside it. */
const CHANGES: Record<string, [Cell, Note]> = {
  "step.started": ["running", (step, d) => `${step} (${String(d.action ?? "")})`],
  "step.succeeded": ["done", () => ""],
  "step.failed": ["failed", (step, d) => `${step}: ${String(d.error ?? "")}`],
  "check.failed": ["failed", (step, d) => `${step}: ${String(d.phase)}-condition ${String(d.check)} failed`],
  "step.undo_started": ["undoing", (step) => `undoing ${step}`],
  "step.undo_planned": [
    "undoing",
    (step, d) =>
      d.found === true
        ? `undoing ${step} by a plan of ${String(d.length)} actions`
        : `no way back for ${step}: ${String(d.reason ?? "")}`,
  ],
  "step.undone": [
    "undone",
    (step, d) => (d.reason === "already_restored" ? `${step} was already as before` : ""),
  ],
  "step.kept": ["undone", (step) => `${step}: kept what someone changed since (on conflict: keep)`],
  "step.undo_failed": ["undo_failed", (step, d) => `${step} not restored: ${String(d.reason ?? "")}`],
};

interface TargetRow {
  readonly name: string;
  readonly cells: Cell[];
  note: string;
}

/**
 * The live view of a run on stderr: on a terminal, a table of targets × steps redrawn in place
 * (at most ~12 times a second, the busiest rows first when they do not all fit); otherwise one
 * plain log line per event, so CI logs and pipes read well.
 */
export class RunView {
  readonly #out: StatusStream;
  readonly #steps: readonly string[];
  readonly #rows = new Map<string, TargetRow>();
  readonly #order: string[];
  #title = "run";
  #status = "starting";
  #drawn = 0;
  /** Points of no return reached so far, shown above the table. */
  readonly #warnings: string[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    out: StatusStream,
    input: { operation: string; targets: readonly string[]; steps: readonly string[] },
  ) {
    this.#out = out;
    this.#steps = input.steps;
    this.#order = [...input.targets];
    this.#title = input.operation;
    for (const name of input.targets)
      this.#rows.set(name, { name, cells: input.steps.map(() => "pending"), note: "" });
  }

  /** Feed one event (in sequence order). */
  event(runId: string, event: ViewEvent): void {
    this.#apply(event);
    if (!this.#out.tty) {
      this.#out.write(`${plainLine(runId, event, this.#steps)}\n`);
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, 80);
  }

  /** Draw the final state (terminal) and stop redrawing. */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#out.tty) this.#draw();
  }

  #apply(event: ViewEvent): void {
    const d = event.data;
    if (event.type.startsWith("run.") && event.type !== "run.claimed") this.#status = event.type.slice(4);
    if (event.type === "step.irreversible")
      this.#warnings.push(
        `point of no return: ${String(d.target)} ${String(d.step)} cannot be undone (${String(d.reason)})`,
      );
    const row = typeof d.target === "string" ? this.#rows.get(d.target) : undefined;
    if (!row) return;
    const index = typeof d.step_index === "number" ? d.step_index : this.#steps.indexOf(String(d.step ?? ""));
    const set = (cell: Cell, note = "") => {
      if (index >= 0 && index < row.cells.length) row.cells[index] = cell;
      row.note = note;
    };
    const step = this.#steps[index] ?? String(d.step ?? "");
    const change = CHANGES[event.type];
    if (change) set(change[0], change[1](step, d));
  }

  #draw(): void {
    const s = styleFor(this.#out.colour);
    const rows = [...this.#rows.values()];
    const cells = rows.flatMap((r) => r.cells);
    const done = cells.filter((c) => c === "done").length;
    const failed = rows.filter((r) => r.cells.some((c) => c === "failed" || c === "undo_failed")).length;
    const width = 24;
    const filled = cells.length === 0 ? width : Math.round((done / cells.length) * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const lines = [
      ...this.#warnings.slice(-3).map((w) => s.yellow(`warning: ${w}`)),
      `${s.bold(this.#title)} ${bar} ${done}/${cells.length} steps · ${failed} failed · ${this.#status}`,
    ];
    const busy = (r: TargetRow) =>
      r.cells.some((c) => c === "running" || c === "undoing" || c === "failed" || c === "undo_failed");
    const room = 12;
    const shown = rows.length <= room ? rows : rows.filter(busy).slice(0, room);
    const nameWidth = Math.min(24, Math.max(...this.#order.map((n) => n.length), 4));
    for (const r of shown) {
      const marks = r.cells
        .map((c) => {
          const m = MARK[c];
          if (c === "done" || c === "undone") return s.green(m);
          if (c === "failed" || c === "undo_failed") return s.red(m);
          if (c === "running" || c === "undoing") return s.cyan(m);
          return s.dim(m);
        })
        .join("");
      const line = `  ${r.name.slice(0, nameWidth).padEnd(nameWidth)} ${marks} ${r.note}`;
      lines.push(line.length > this.#out.columns + 40 ? line.slice(0, this.#out.columns + 40) : line);
    }
    if (shown.length < rows.length) {
      const finished = rows.filter((r) => r.cells.every((c) => c === "done")).length;
      lines.push(s.dim(`  … ${rows.length - shown.length} more targets (${finished} done in all)`));
    }
    const clear = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[J` : "";
    this.#out.write(`${clear}${lines.join("\n")}\n`);
    this.#drawn = lines.length;
  }
}

/** One event as a plain log line: time, target, step, what happened. */
export function plainLine(runId: string, event: ViewEvent, steps: readonly string[]): string {
  const d = event.data;
  const time = event.at.slice(11, 23);
  const index = typeof d.step_index === "number" ? d.step_index : -1;
  const step = typeof d.step === "string" ? d.step : (steps[index] ?? "");
  const where = [d.target, step].filter((x) => typeof x === "string" && x !== "").join(" ");
  const rest: string[] = [];
  if (typeof d.action === "string") rest.push(d.action);
  if (typeof d.error === "string") rest.push(d.error);
  if (typeof d.reason === "string") rest.push(d.reason);
  if (event.type === "check.failed")
    rest.push(
      `${String(d.phase)} ${String(d.check)}: expected ${String(d.expected)}, observed ${String(d.observed)}`,
    );
  if (event.type === "batch.started" && Array.isArray(d.targets)) rest.push(d.targets.join(", "));
  if (event.type === "step.undo_planned" && d.found === true && Array.isArray(d.plan)) {
    const more = Number(d.length) > d.plan.length ? `, … ${Number(d.length) - d.plan.length} more` : "";
    rest.push(`${String(d.length)} actions: ${d.plan.join(", ")}${more}`);
  }
  const head = event.type.startsWith("run.") ? `${event.type} ${runId}` : event.type;
  return [time, head, where, rest.join(" — ")].filter((x) => x !== "").join("  ");
}
