import type { Candidate } from "./causes.ts";
import { CODES, Evidence, hasCode, PATTERNS } from "./evidence.ts";
import type { ContextStep, FailurePoint } from "./model.ts";

/** Rules for a failure about a path: missing, its directory missing, permissions, content. */
export function fileCauses(
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
  // The failure said so itself (EACCES writing into a read-only directory): that comes first,
  // whatever the probe (which may run as a user with other rights) sees of the path.
  const denied = hasCode(point, CODES.permission) || PATTERNS.permission.test(text);
  if (denied) {
    add({
      id: "permission_denied",
      title: `permission denied on ${path}`,
      score: 0.95,
      evidence: [observed, Evidence.line(probe)],
      fix: `give uid ${String(facts.uid)} access to ${path} (mode, owner, or the directories above it)`,
    });
    return;
  }
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
  if (facts.exists === null || facts.readable === false || denied) {
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

/** Rules for a failure about a command: not on PATH, not executable, cwd missing, its own error. */
export function commandCauses(
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
  const missing =
    /(\/[^\s:'"]+)[^\n]*?No such file or directory|No such file or directory[^\n]*?(\/[^\s:'"]+)/.exec(text);
  if (missing && !PATTERNS.notFound.test(text)) {
    const path = missing[1] ?? missing[2];
    add({
      id: "missing_file",
      title: `a file the command needs is missing: ${path}`,
      score: 0.8,
      evidence: [observed],
      fix: `create ${path}, or correct the command`,
    });
  }
  if (
    hasCode(point, CODES.permission) ||
    PATTERNS.permission.test(text) ||
    PATTERNS.notExecutable.test(text)
  ) {
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

/** Rules for an s3/dynamodb failure: credentials refused or absent, endpoint unreachable. */
export function awsCauses(
  point: FailurePoint,
  ev: Evidence,
  text: string,
  observed: string,
  add: (c: Candidate) => void,
) {
  const creds = ev.first("aws_credentials");
  const auth = ev.first("aws_auth");
  if (auth && auth.facts.accepted === false) {
    add({
      id: "bad_credential",
      title: "AWS refuses the credentials (invalid, expired or not allowed)",
      score: 0.96,
      evidence: [Evidence.line(auth), observed, ...(creds ? [Evidence.line(creds)] : [])],
      fix: "set valid credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) with the needed permissions",
    });
  }
  const tcp = ev.mainTcp();
  if (hasCode(point, CODES.credential) || PATTERNS.credential.test(text)) {
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
      score:
        hasCode(point, CODES.refused) || PATTERNS.refused.test(text) || PATTERNS.unreachable.test(text)
          ? 0.94
          : 0.75,
      evidence: [Evidence.line(tcp), observed],
      fix: "start the endpoint (s3rver, dynalite), or correct AWS_ENDPOINT_URL / the step's endpoint",
    });
  }
}
