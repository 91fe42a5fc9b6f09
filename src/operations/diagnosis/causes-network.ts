import { plural, quote } from "../../core/index.ts";
import type { Check } from "../model/index.ts";
import type { Candidate, CauseInput } from "./causes.ts";
import { CODES, Evidence, hasCode, PATTERNS } from "./evidence.ts";
import type { FailurePoint } from "./model.ts";
import { endpointOf, hostPort } from "./probes/network.ts";

/** Names of the params a check uses (`${params.port}` → port). */
export function paramsUsed(check: Check | undefined): string[] {
  if (!check) return [];
  return [...JSON.stringify(check).matchAll(/\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g)].map(
    (m) => m[1] as string,
  );
}

/** Rules for a failure about an endpoint (http, tcp): DNS, refused, unreachable, hung, answering wrongly. */
export function networkCauses(
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
    : hasCode(point, CODES.refused) || PATTERNS.refused.test(text);
  if (refused) {
    const evidence = [tcp ? Evidence.line(tcp) : observed, ...(tcp ? [observed] : [])];
    const alternatives = ev.openAlternatives();
    const changed = input.deviation.changed_params.filter((c) => paramsUsed(input.rawCheck).includes(c.name));
    const passedBefore = input.deviation.failing_step_passed_before;
    const answeredBefore = [
      ...input.answeredEarlier,
      ...(passedBefore > 0 && changed.length === 0 && !input.deviation.operation_changed
        ? [
            `the same check passed in ${passedBefore} of the ${plural(input.deviation.compared_runs, "earlier successful run")}, with the same params`,
          ]
        : []),
    ];
    if (alternatives.length > 0 || changed.length > 0) {
      const alt = alternatives.map((a) => `${Evidence.line(a)}`);
      const params = changed.map(
        (c) =>
          `the check uses params.${c.name}: ${quote(c.before)} in the last successful run, ${quote(c.now)} now`,
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
  if (up && http && (http.facts.answered === false || http.facts.timed_out === true)) {
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
  if ((point.kind === "timeout" || PATTERNS.timeout.test(text)) && up) {
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
