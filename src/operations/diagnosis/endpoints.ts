import { interpolate } from "../loader/index.ts";
import type { Check, Operation, ParamValue } from "../model/index.ts";
import { targetsOf } from "../model/index.ts";
import { checkName, subjectOfCheck } from "./check-spec.ts";
import type { Deviation, FailurePoint } from "./model.ts";
import type { AlternativePort } from "./plan-probes.ts";
import { endpointOf } from "./probes/network.ts";

interface Endpoint {
  readonly host: string;
  readonly port: number;
}

interface CheckAt {
  /** `steady_state`, or the step's name. */
  readonly where: string;
  readonly name: string;
  readonly endpoint: Endpoint;
}

function endpointOfCheck(check: Check): Endpoint | undefined {
  const subject = subjectOfCheck(check);
  if (subject?.kind === "http") return endpointOf(subject.url);
  if (subject?.kind === "tcp") return { host: subject.host, port: subject.port };
  return undefined;
}

/** Every network check of the operation for one target, interpolated where that is possible. */
function networkChecks(
  op: Operation,
  params: Readonly<Record<string, ParamValue>>,
  target: string,
  outputs: Record<string, { output: unknown }>,
): CheckAt[] {
  const t = targetsOf(op).find((x) => x.name === target);
  const scope = {
    params,
    target: { name: target, vars: t?.vars ?? {} },
    steps: outputs,
    run: { id: "diagnosis" },
  };
  const found: CheckAt[] = [];
  const visit = (where: string, checks: readonly Check[] | undefined) => {
    for (const raw of checks ?? []) {
      try {
        const check = interpolate(raw, scope);
        const endpoint = endpointOfCheck(check);
        if (endpoint) found.push({ where, name: checkName(check) ?? where, endpoint });
      } catch {
        // a reference this target cannot resolve: not a hint either way
      }
    }
  };
  visit("steady_state", op.steady_state);
  for (const step of op.steps) {
    visit(step.name, step.pre);
    visit(step.name, step.post);
  }
  return found;
}

const portLike = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
};

/**
 * Hints about the failing endpoint from the rest of the operation: other ports of the same host
 * it mentions (target vars, other checks, a param's value in the last successful run), and
 * sentences saying the same endpoint answered earlier in this run.
 */
export function endpointHints(input: {
  readonly operation: Operation;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly point: FailurePoint;
  readonly doneSteps: readonly string[];
  readonly outputs: Record<string, { output: unknown }>;
  readonly deviation: Deviation;
  readonly usedParams: readonly string[];
}): { alternatives: AlternativePort[]; answeredEarlier: string[] } {
  const subject = input.point.subject;
  const failing =
    subject?.kind === "http"
      ? endpointOf(subject.url)
      : subject?.kind === "tcp"
        ? { host: subject.host, port: subject.port }
        : undefined;
  if (!failing) return { alternatives: [], answeredEarlier: [] };
  const alternatives: AlternativePort[] = [];
  const add = (port: number | undefined, why: string) => {
    if (port !== undefined && port !== failing.port && !alternatives.some((a) => a.port === port))
      alternatives.push({ port, why });
  };
  const checks = networkChecks(input.operation, input.params, input.point.target, input.outputs);
  const sameHost = checks.filter((c) => c.endpoint.host === failing.host);
  for (const c of sameHost) add(c.endpoint.port, `the port of check ${c.name}`);
  for (const c of input.deviation.changed_params) {
    if (input.usedParams.includes(c.name))
      add(portLike(c.before), `params.${c.name} in the last successful run`);
  }
  const vars = targetsOf(input.operation).find((t) => t.name === input.point.target)?.vars ?? {};
  for (const [k, v] of Object.entries(vars)) if (/port/i.test(k)) add(portLike(v), `target var ${k}`);
  const answeredEarlier: string[] = [];
  const same = (e: Endpoint) => e.host === failing.host && e.port === failing.port;
  if (input.point.phase !== "steady_state_before") {
    const steady = checks.find((c) => c.where === "steady_state" && same(c.endpoint));
    if (steady) answeredEarlier.push(`the steady state check ${steady.name} passed when the run started`);
    const passed = checks.find(
      (c) =>
        c.where !== "steady_state" &&
        c.where !== input.point.step &&
        input.doneSteps.includes(c.where) &&
        same(c.endpoint),
    );
    if (passed)
      answeredEarlier.push(`check ${passed.name} of step ${passed.where} passed earlier in this run`);
  }
  return { alternatives, answeredEarlier };
}
