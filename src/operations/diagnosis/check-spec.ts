import { findCheckPlan } from "../checks/index.ts";
import type { Check, CheckKind } from "../model/index.ts";
import type { Subject } from "./model.ts";

type Body = Record<string, unknown>;

/** The kind and body of a check (`{http: {...}, within, name}` → `http`, `{...}`). */
export function kindOf(check: Check): { kind: CheckKind; body: Body } | undefined {
  const plan = findCheckPlan(check);
  return plan && { kind: plan.spec.kind, body: plan.spec as unknown as Body };
}

/** The name the engine gives a check in its results: its own `name`, else `<kind> <what>`. */
export function checkName(check: Check): string | undefined {
  const named = (check as { name?: unknown }).name;
  return typeof named === "string" ? named : findCheckPlan(check)?.name;
}

/** What an interpolated check points at. */
export function subjectOfCheck(check: Check): Subject | undefined {
  const found = kindOf(check);
  if (!found) return undefined;
  const b = found.body;
  switch (found.kind) {
    case "http":
      return typeof b.url === "string"
        ? { kind: "http", url: b.url, method: typeof b.method === "string" ? b.method : "GET", from: "check" }
        : undefined;
    case "tcp": {
      const port = Number(b.port);
      return typeof b.host === "string" && Number.isInteger(port)
        ? { kind: "tcp", host: b.host, port }
        : undefined;
    }
    case "file":
      return typeof b.path === "string" ? { kind: "file", path: b.path, from: "check" } : undefined;
    case "command":
      return typeof b.run === "string"
        ? {
            kind: "command",
            command: b.run,
            ...(typeof b.cwd === "string" ? { cwd: b.cwd } : {}),
            from: "check",
          }
        : undefined;
  }
}

/** What an action's input points at, for the actions whose failures the probes can look into. */
export function subjectOfAction(
  action: string,
  input: Record<string, unknown>,
  reason = "",
): Subject | undefined {
  const str = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : undefined);
  if (action === "shell.run") {
    const command = str("command");
    const cwd = str("cwd");
    return command ? { kind: "command", command, ...(cwd ? { cwd } : {}), from: "action" } : undefined;
  }
  if (action === "http.request") {
    const url = str("url");
    return url
      ? { kind: "http", url, method: (str("method") ?? "GET").toUpperCase(), from: "action" }
      : undefined;
  }
  if (action.startsWith("file.")) {
    const paths = ["path", "to", "from", "target"].map(str).filter((p): p is string => p !== undefined);
    const named = paths.find((p) => reason.includes(p)) ?? paths[0];
    return named ? { kind: "file", path: named, from: "action" } : undefined;
  }
  if (action.startsWith("s3.") || action.startsWith("dynamodb.") || action.startsWith("ec2.")) {
    const endpoint = str("endpoint");
    return {
      kind: "aws",
      service: action.startsWith("s3.") ? "s3" : action.startsWith("ec2.") ? "ec2" : "dynamodb",
      ...(endpoint ? { endpoint } : {}),
    };
  }
  return undefined;
}
