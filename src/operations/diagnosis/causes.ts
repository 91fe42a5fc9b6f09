import type { Check } from "../model/index.ts";
import { Evidence, PATTERNS } from "./evidence.ts";
import type { CauseId, ContextStep, Deviation, FailurePoint, ProbeResult } from "./model.ts";
import { endpointOf, hostPort } from "./probes/network.ts";

/** A cause before its recovery is worked out: what to fix, and whether trying again may do. */
export interface Candidate {
  readonly id: CauseId;
  readonly title: string;
  readonly score: number;
  readonly evidence: string[];
  /** What a person should change before trying again. */
  readonly fix: string;
  /** True when trying again as it is may work (a slow or restarting service). */
  readonly transient?: boolean;
}

export interface CauseInput {
  readonly point: FailurePoint | undefined;
  readonly probes: readonly ProbeResult[];
  readonly deviation: Deviation;
  readonly context: readonly ContextStep[];
  /** The failing check as written (which `${params.…}` it uses). */
  readonly rawCheck?: Check;
  /** Sentences saying the failing endpoint answered earlier in this run (the steady state before). */
  readonly answeredEarlier: readonly string[];
}

/**
 * Candidate causes ranked by the evidence: the probes' answers first, then the failure's own
 * text, then the run's history. Each rule scores what it sees; the list is sorted by score and
 * holds each cause once.
 */
export function rankCauses(input: CauseInput): Candidate[] {
  const found: Candidate[] = [];
  const add = (c: Candidate) => found.push(c);
  const point = input.point;
  if (point) {
    const ev = new Evidence(input.probes);
    const text = `${point.reason} ${point.check?.observed ?? ""}`;
    const observed = point.check
      ? `the check expected ${point.check.expected}, observed ${point.check.observed}`
      : `the step failed: ${point.reason}`;
    generic(point, text, observed, add);
    const subject = point.subject;
    if (subject?.kind === "http" || subject?.kind === "tcp") network(input, point, ev, text, observed, add);
    if (subject?.kind === "file") file(point, ev, text, observed, input.context, add);
    if (subject?.kind === "command") command(point, ev, text, observed, add);
    if (subject?.kind === "aws") aws(ev, text, observed, add);
    history(input, point, add);
  }
  return merge(found);
}

function merge(found: Candidate[]): Candidate[] {
  const best = new Map<CauseId, Candidate>();
  for (const c of found) {
    const prior = best.get(c.id);
    if (!prior) best.set(c.id, c);
    else {
      const [hi, lo] = c.score > prior.score ? [c, prior] : [prior, c];
      best.set(c.id, { ...hi, evidence: [...new Set([...hi.evidence, ...lo.evidence])] });
    }
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  if (ranked.length === 0 || (ranked[0] as Candidate).score < 0.3) {
    ranked.push({
      id: "unknown",
      title: "no probe could tell why",
      score: 0.1,
      evidence: ["the probes found nothing wrong with what the failure was about"],
      fix: "read the failure and the process context above",
    });
  }
  return ranked;
}

function generic(point: FailurePoint, text: string, observed: string, add: (c: Candidate) => void) {
  if (PATTERNS.stopped.test(point.reason)) {
    add({
      id: "stopped_by_user",
      title: "the run was stopped (Ctrl-C or a stop request)",
      score: 0.97,
      evidence: [point.reason],
      fix: "nothing is broken; continue when ready",
      transient: true,
    });
  }
  if (point.check?.name === "interpolation" || (PATTERNS.reference.test(point.reason) && !point.check)) {
    add({
      id: "bad_reference",
      title: "a reference in the operation does not resolve",
      score: 0.9,
      evidence: [point.reason],
      fix: "correct the reference in the operation file (an output field the action does not return, a param without a value)",
    });
  }
  if (point.phase === "action" && !point.check && PATTERNS.input.test(point.reason) && !point.subject) {
    add({
      id: "invalid_input",
      title: `the input of ${point.step} is not acceptable`,
      score: 0.6,
      evidence: [point.reason],
      fix: "correct the step's `with:` in the operation file",
    });
  }
  if (!point.subject) {
    if (PATTERNS.permission.test(text))
      add({
        id: "permission_denied",
        title: "permission denied",
        score: 0.8,
        evidence: [observed],
        fix: "give the user opsdojo runs as the access it needs",
      });
    if (PATTERNS.dns.test(text))
      add({
        id: "dns_failure",
        title: "a host name does not resolve",
        score: 0.8,
        evidence: [observed],
        fix: "correct the host name, or fix DNS",
      });
    if (PATTERNS.refused.test(text))
      add({
        id: "nothing_listening",
        title: "nothing listens where the step connects",
        score: 0.7,
        evidence: [observed],
        fix: "start the service, or correct the port",
      });
    if (PATTERNS.missing.test(text))
      add({
        id: "missing_file",
        title: "a file the step needs is missing",
        score: 0.6,
        evidence: [observed],
        fix: "create the file, or correct the path",
      });
  }
  if (PATTERNS.timeout.test(text) && !PATTERNS.stopped.test(point.reason)) {
    add({
      id: "timeout",
      title: "it did not finish in time: a slow or hung service or command",
      score: 0.55,
      evidence: [observed],
      fix: "find why it is slow, or give it more time (`timeout:`, `within:`)",
      transient: true,
    });
  }
}

/** Names of the params a check uses (`${params.port}` → port). */
function paramsUsed(check: Check | undefined): string[] {
  if (!check) return [];
  return [...JSON.stringify(check).matchAll(/\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g)].map(
    (m) => m[1] as string,
  );
}

function network(
  input: CauseInput,
  point: FailurePoint,
  ev: Evidence,
  text: string,
  observed: string,
  add: (c: Candidate) => void,
) {
  const subject = point.subject;
  const ep =
    subject?.kind === "http"
      ? endpointOf(subject.url)
      : subject?.kind === "tcp"
        ? { host: subject.host, port: subject.port }
        : undefined;
  if (!ep) return;
  const where = hostPort(ep.host, ep.port);
  const dns = ev.first("dns");
  const tcp = ev.mainTcp();
  const http = ev.first("http");
  if (dns && dns.facts.resolves === false) {
    add({
      id: "dns_failure",
      title: `${ep.host} does not resolve`,
      score: 0.95,
      evidence: [Evidence.line(dns), observed],
      fix: `correct the host name ${ep.host}, or fix its DNS record`,
    });
    return;
  }
  const refused = tcp
    ? tcp.facts.open === false && tcp.facts.code === "ECONNREFUSED"
    : PATTERNS.refused.test(text);
  if (refused) {
    const evidence = [tcp ? Evidence.line(tcp) : observed, ...(tcp ? [observed] : [])];
    const alternatives = ev.openAlternatives();
    const changed = input.deviation.changed_params.filter((c) => paramsUsed(input.rawCheck).includes(c.name));
    const passedBefore = input.deviation.failing_step_passed_before;
    const answeredBefore = [
      ...input.answeredEarlier,
      ...(passedBefore > 0 && changed.length === 0 && !input.deviation.operation_changed
        ? [
            `the same check passed in ${passedBefore} of the ${input.deviation.compared_runs} earlier successful run(s), with the same params`,
          ]
        : []),
    ];
    if (alternatives.length > 0 || changed.length > 0) {
      const alt = alternatives.map((a) => `${Evidence.line(a)}`);
      const params = changed.map(
        (c) =>
          `the check uses params.${c.name}: ${JSON.stringify(c.before)} in the last successful run, ${JSON.stringify(c.now)} now`,
      );
      add({
        id: "wrong_port",
        title: `nothing listens on ${where}: a wrong port${alternatives.length > 0 ? ` (${alternatives.map((a) => `${String(a.facts.host)}:${String(a.facts.port)}`).join(", ")} answers)` : ""}`,
        score: 0.95,
        evidence: [...evidence, ...alt, ...params],
        fix: `point the check or step at the port the service listens on${alternatives[0] ? ` (${String(alternatives[0].facts.port)}?)` : ""}`,
      });
      if (answeredBefore.length > 0) add(stopped(where, 0.5, [...evidence, ...answeredBefore]));
    } else if (answeredBefore.length > 0) {
      add(stopped(where, 0.93, [...evidence, ...answeredBefore]));
      add({
        id: "wrong_port",
        title: `nothing listens on ${where}: a wrong port`,
        score: 0.35,
        evidence,
        fix: "point the check or step at the port the service listens on",
      });
    } else {
      add({
        id: "nothing_listening",
        title: `nothing listens on ${where}: a wrong port, or the service is not running`,
        score: 0.92,
        evidence,
        fix: `start the service on ${where}, or correct the port in the operation`,
      });
    }
    return;
  }
  if (tcp && tcp.facts.open === false) {
    add({
      id: "endpoint_unreachable",
      title: `${where} cannot be reached (${String(tcp.facts.code)})`,
      score: 0.85,
      evidence: [Evidence.line(tcp), observed],
      fix: `check the host is up and no firewall drops connections to ${where}`,
      transient: true,
    });
    return;
  }
  const up = tcp?.facts.open === true;
  if (up && http && http.facts.answered === false) {
    add({
      id: "timeout",
      title: `${where} accepts connections but does not answer HTTP: a hung or slow service`,
      score: 0.85,
      evidence: [Evidence.line(tcp), Evidence.line(http), observed],
      fix: "find why the service does not answer (hung, overloaded); restart it, then try again",
      transient: true,
    });
    return;
  }
  if (PATTERNS.timeout.test(text) && up) {
    add({
      id: "timeout",
      title: `${where} is up but did not answer in time: a slow service`,
      score: 0.8,
      evidence: [Evidence.line(tcp), ...(http ? [Evidence.line(http)] : []), observed],
      fix: "find why the service is slow, or give the check more time (`within:`)",
      transient: true,
    });
    return;
  }
  // The service is up and answered: the check failed on what it said.
  const answered = /^HTTP \d{3}/.test(point.check?.observed ?? "") || /answered \d{3}/.test(point.reason);
  if (up && (answered || (http && http.facts.answered === true))) {
    const during = point.check?.observed ?? point.reason;
    const nowOk = http?.facts.answered === true && matchesExpected(point, Number(http.facts.status));
    const changedFiles = input.context
      .filter((c) => c.action.startsWith("file.") && c.target === point.target && !c.failed_here)
      .map((c) => c.summary);
    const evidence = [
      ...(http ? [Evidence.line(http)] : []),
      `during the run: ${during}`,
      ...(nowOk ? ["it answers as expected now that the run's changes are undone: the change broke it"] : []),
      ...(changedFiles.length > 0 ? [`before the check, the run ${changedFiles.join("; ")}`] : []),
    ];
    add({
      id: "bad_config",
      title: `the service on ${where} is up but answers ${statusOf(during) ?? "wrongly"}: bad configuration content${input.deviation.failing_step_passed_before > 0 ? " or a regression" : ""}`,
      score: nowOk ? 0.92 : 0.85,
      evidence,
      fix: "look at what the run changed (process context) and the service's logs; correct the content, then try again",
    });
    if (PATTERNS.reset.test(text)) {
      add({
        id: "service_error",
        title: `the service on ${where} closed the connection`,
        score: 0.5,
        evidence: [observed],
        fix: "look at the service's logs",
        transient: true,
      });
    }
  }
}

function statusOf(observed: string): string | undefined {
  return /HTTP \d{3}/.exec(observed)?.[0] ?? /answered (\d{3})/.exec(observed)?.[1]?.replace(/^/, "HTTP ");
}

function matchesExpected(point: FailurePoint, status: number): boolean {
  const want = /HTTP (\d{3})/.exec(point.check?.expected ?? "")?.[1];
  if (want) return Number(want) === status;
  return status >= 200 && status < 300;
}

function stopped(where: string, score: number, evidence: string[]): Candidate {
  return {
    id: "service_stopped",
    title: `nothing listens on ${where} any more: the service has stopped`,
    score,
    evidence,
    fix: `start the service on ${where} again`,
    transient: false,
  };
}

function file(
  point: FailurePoint,
  ev: Evidence,
  text: string,
  observed: string,
  context: readonly ContextStep[],
  add: (c: Candidate) => void,
) {
  const probe = ev.first("file");
  const path = point.subject?.kind === "file" ? point.subject.path : "?";
  if (!probe) return;
  const facts = probe.facts;
  if (facts.exists === false) {
    const wrote = context
      .filter(
        (c) =>
          c.action.startsWith("file.") &&
          c.summary.includes(String(facts.parent)) &&
          !c.summary.includes(path),
      )
      .map((c) => `the run ${c.summary}`);
    if (facts.parent_exists === false) {
      add({
        id: "missing_directory",
        title: `the directory ${String(facts.parent)} does not exist`,
        score: 0.93,
        evidence: [Evidence.line(probe), observed],
        fix: `create ${String(facts.parent)} (or correct the path ${path})`,
      });
    } else {
      add({
        id: "missing_file",
        title: `${path} does not exist`,
        score: point.check?.expected.includes("does not exist") ? 0.3 : 0.93,
        evidence: [
          Evidence.line(probe),
          observed,
          ...wrote.slice(0, 3).map((w) => `${w} (a different path: a typo?)`),
        ],
        fix: `create ${path}, or correct the path in the operation`,
      });
    }
    if (facts.creatable === false && point.phase === "action") {
      add({
        id: "permission_denied",
        title: `this user may not create files in ${String(facts.parent)}`,
        score: 0.8,
        evidence: [Evidence.line(probe), observed],
        fix: `give uid ${String(facts.uid)} write access to ${String(facts.parent)}`,
      });
    }
    return;
  }
  if (facts.exists === null || facts.readable === false || PATTERNS.permission.test(text)) {
    add({
      id: "permission_denied",
      title: `permission denied on ${path}`,
      score: 0.93,
      evidence: [Evidence.line(probe), observed],
      fix: `give uid ${String(facts.uid)} access to ${path} (mode, owner, or the directories above it)`,
    });
    return;
  }
  if (point.check?.kind === "file" && /does not contain|SHA-256/.test(point.check.observed)) {
    add({
      id: "bad_content",
      title: `${path} does not hold what was expected: bad content`,
      score: 0.88,
      evidence: [Evidence.line(probe), observed],
      fix: `correct what writes ${path} (the step's content or params), then try again`,
    });
  }
}

function command(
  point: FailurePoint,
  ev: Evidence,
  text: string,
  observed: string,
  add: (c: Candidate) => void,
) {
  const exe = ev.first("executable");
  const cwd = ev.first("file");
  const rerun = ev.first("command");
  const subject = point.subject?.kind === "command" ? point.subject : undefined;
  if (cwd && cwd.facts.exists === false) {
    add({
      id: "missing_directory",
      title: `the working directory ${subject?.cwd ?? ""} does not exist`,
      score: 0.94,
      evidence: [Evidence.line(cwd), observed],
      fix: `create ${subject?.cwd ?? "it"} or correct cwd`,
    });
  }
  if (exe && exe.facts.found === false) {
    const program = String(exe.facts.program);
    if (exe.facts.exists === true) {
      add({
        id: "permission_denied",
        title: `${program} is not executable`,
        score: 0.92,
        evidence: [Evidence.line(exe), observed],
        fix: `chmod +x ${String(exe.facts.path)}`,
      });
    } else {
      add({
        id: "command_not_found",
        title: `${program} is not ${program.includes("/") ? "there" : "on PATH"}`,
        score: PATTERNS.notFound.test(text) ? 0.96 : 0.85,
        evidence: [Evidence.line(exe), observed],
        fix: `install ${program}, or use its full path in the operation`,
      });
    }
    return;
  }
  if (PATTERNS.notFound.test(text)) {
    add({
      id: "command_not_found",
      title: "a program the command runs is not found",
      score: 0.75,
      evidence: [observed],
      fix: "install it, or use its full path",
    });
  }
  if (PATTERNS.permission.test(text) || PATTERNS.notExecutable.test(text)) {
    add({
      id: "permission_denied",
      title: "the command was denied permission",
      score: 0.8,
      evidence: [observed],
      fix: "give the user opsdojo runs as the access the command needs",
    });
  }
  if (rerun?.ok === true && subject?.from === "check") {
    add({
      id: "bad_config",
      title: "the check passes now that the run's changes are undone: the change made it fail",
      score: 0.8,
      evidence: [Evidence.line(rerun), `during the run: ${point.check?.observed ?? point.reason}`],
      fix: "correct what the run changes (see the process context), then try again",
    });
    return;
  }
  const tail = rerun && rerun.ok === false ? [Evidence.line(rerun)] : [];
  add({
    id: "command_failed",
    title:
      `${subject?.from === "check" ? "the check command" : "the command"} fails: ${point.check?.observed ?? point.reason}`.slice(
        0,
        200,
      ),
    score: 0.6,
    evidence: [observed, ...tail],
    fix: "run the command by hand and read its error output",
  });
}

function aws(ev: Evidence, text: string, observed: string, add: (c: Candidate) => void) {
  const creds = ev.first("aws_credentials");
  const tcp = ev.mainTcp();
  if (PATTERNS.credential.test(text)) {
    add({
      id: "bad_credential",
      title: "AWS refused the credentials (invalid, expired or not allowed)",
      score: 0.95,
      evidence: [observed, ...(creds ? [Evidence.line(creds)] : [])],
      fix: "set valid credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) with the needed permissions",
    });
  } else if (creds && creds.facts.env_credentials === false && creds.facts.credentials_file === false) {
    add({
      id: "bad_credential",
      title: "no AWS credentials are configured",
      score: 0.9,
      evidence: [Evidence.line(creds), observed],
      fix: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE with a credentials file)",
    });
  }
  if (tcp && tcp.facts.open === false) {
    add({
      id: "endpoint_unreachable",
      title: `the AWS endpoint ${String(tcp.facts.host)}:${String(tcp.facts.port)} cannot be reached`,
      score: PATTERNS.refused.test(text) || PATTERNS.unreachable.test(text) ? 0.94 : 0.75,
      evidence: [Evidence.line(tcp), observed],
      fix: "start the endpoint (s3rver, dynalite), or correct AWS_ENDPOINT_URL / the step's endpoint",
    });
  }
}

function history(input: CauseInput, point: FailurePoint, add: (c: Candidate) => void) {
  const d = input.deviation;
  if (d.compared_runs > 0 && d.failing_step_passed_before > 0) {
    const changes = [
      ...(d.operation_changed
        ? [`the operation changed: version ${d.operation_changed.before} → ${d.operation_changed.now}`]
        : []),
      ...d.changed_params.map(
        (c) => `param ${c.name}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.now)}`,
      ),
    ];
    add({
      id: "regression",
      title: `a regression: ${point.step === "steady_state" ? "the steady state" : point.step} passed in ${d.failing_step_passed_before} of ${d.compared_runs} earlier successful run(s)`,
      score: changes.length > 0 ? 0.5 : 0.35,
      evidence:
        changes.length > 0
          ? changes
          : ["nothing in the operation or params changed since: something outside it did"],
      fix:
        changes.length > 0
          ? "compare the changes listed with the last successful run"
          : "look for what changed on the target since the last successful run",
    });
  }
  if (d.unusual_durations.length > 0) {
    add({
      id: "slow_step",
      title: `unusual step durations: ${d.unusual_durations.map((u) => `${u.step} on ${u.target} ${u.ms} ms (usually ${u.low_ms}–${u.high_ms} ms)`).join(", ")}`,
      score: 0.3,
      evidence: d.notes.filter((n) => / took \d+ ms/.test(n)),
      fix: "find what made these steps slower or faster than usual",
      transient: true,
    });
  }
}
