import { quote } from "../../core/index.ts";
import type { StepRecord } from "../journal/index.ts";
import type { ContextStep, FailurePoint } from "./model.ts";
import type { StepSpan } from "./timeline.ts";

const short = (text: string, max = 100) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function bytes(value: unknown): string {
  return typeof value === "string" ? `${Buffer.byteLength(value)} bytes` : "?";
}

/** An action's input in a few words: what it was about to change. */
export function describeInput(action: string, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const s = (k: string) => String(i[k] ?? "?");
  switch (action) {
    case "file.write":
      return `wrote ${s("path")} (${bytes(i.content)}${i.mode !== undefined ? `, mode ${s("mode")}` : ""})`;
    case "file.delete":
      return `deleted ${s("path")}${i.recursive ? " (recursively)" : ""}`;
    case "file.mkdir":
      return `created the directory ${s("path")}`;
    case "file.copy":
      return `copied ${s("from")} to ${s("to")}`;
    case "file.move":
      return `moved ${s("from")} to ${s("to")}`;
    case "file.chmod":
      return `set the mode of ${s("path")} to ${s("mode")}`;
    case "file.symlink":
      return `pointed the link ${s("path")} at ${s("target")}`;
    case "file.replace":
      return `replaced ${short(quote(i.find ?? ""), 40)} with ${short(quote(i.replace ?? ""), 40)} in ${s("path")}`;
    case "shell.run":
      return `ran ${short(quote(i.command ?? ""), 80)}${i.cwd ? ` in ${s("cwd")}` : ""}`;
    case "http.request":
      return `${String(i.method ?? "GET").toUpperCase()} ${s("url")}`;
    case "noop":
      return i.sleep ? `waited ${s("sleep")}` : "did nothing (noop)";
    default: {
      const compact = Object.fromEntries(
        Object.entries(i).map(([k, v]) => [k, typeof v === "string" && v.length > 60 ? bytes(v) : v]),
      );
      return `${action} ${short(JSON.stringify(compact), 100)}`;
    }
  }
}

function describeOutput(action: string, output: unknown): string | undefined {
  if (output === null || output === undefined) return undefined;
  const o = output as Record<string, unknown>;
  if (action === "shell.run" && typeof o.exit_code === "number") {
    const err = typeof o.stderr === "string" ? o.stderr.trim().split("\n").at(-1) : "";
    return `exit code ${o.exit_code}${err ? `: ${short(err, 80)}` : ""}`;
  }
  if (action === "http.request" && typeof o.status === "number") return `HTTP ${o.status}`;
  // A file action's output repeats its input (path, size, hash): the summary says it already.
  if (action.startsWith("file.")) return undefined;
  const text = JSON.stringify(output);
  return text === "{}" ? undefined : short(text, 100);
}

function effectOf(record: StepRecord): string | undefined {
  const out = describeOutput(record.action, record.output);
  switch (record.state) {
    case "failed":
      return `failed: ${short(record.error ?? "", 160)}`;
    case "intent":
      return "in flight when the run stopped";
    case "undone":
      return `${out ? `${out}; ` : ""}undone since (rolled back)`;
    case "undoing":
      return "was being undone";
    case "undo_failed":
      return `could not be undone: ${short(record.error ?? "", 160)}`;
    default:
      return out;
  }
}

/**
 * What the run did, target by target, in the order the journal recorded it — each step with its
 * action, what it touched, what came of it and, from the events, how long it took.
 */
export function processContext(
  records: readonly StepRecord[],
  spans: readonly StepSpan[],
  failure: FailurePoint | undefined,
): ContextStep[] {
  return records.map((r) => {
    const span = spans.findLast((x) => x.target === r.target && x.step === r.stepName && x.ms !== undefined);
    const effect = effectOf(r);
    const here = failure !== undefined && failure.target === r.target && failure.step === r.stepName;
    return {
      target: r.target,
      step: r.stepName,
      action: r.action,
      state: r.state,
      summary: describeInput(r.action, r.input),
      ...(effect ? { effect } : {}),
      ...(span?.ms !== undefined ? { duration_ms: span.ms } : {}),
      ...(here ? { failed_here: true } : {}),
    };
  });
}
