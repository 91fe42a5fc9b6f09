import type { Subject } from "./model.ts";
import { awsCredentialsProbe, awsEndpointFromEnv } from "./probes/aws.ts";
import { awsAuthProbe } from "./probes/aws-auth.ts";
import type { Probe } from "./probes/bounded.ts";
import { commandProbe, executableOf, executableProbe } from "./probes/command.ts";
import { fileProbe } from "./probes/file.ts";
import { dnsProbe, endpointOf, httpProbe, needsLookup, tcpProbe } from "./probes/network.ts";

/** Another port of the same host that the operation (or its last success) points at. */
export interface AlternativePort {
  readonly port: number;
  readonly why: string;
}

/** At most this many other ports are tried: enough for target vars, params and other checks. */
const MAX_ALTERNATIVES = 3;

/** The on-demand checks that can tell why a failure about `subject` happened. */
export function probesFor(
  subject: Subject | undefined,
  alternatives: readonly AlternativePort[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Probe[] {
  if (!subject) return [];
  // A subject built from a secret param holds «secret:name», never the value: a probe that sends
  // it (a GET of the URL, the command again) would send the stand-in, or were it ever the value,
  // the secret itself — those are skipped; host and port lookups send nothing of it.
  const secret = JSON.stringify(subject).includes("«secret:");
  switch (subject.kind) {
    case "http": {
      const ep = endpointOf(subject.url);
      if (!ep) return [];
      const probes = network(ep.host, ep.port, alternatives);
      // GET only where it is harmless: the check's own URL, or an action that was a GET anyway.
      if (!secret && (subject.from === "check" || subject.method === "GET" || subject.method === "HEAD")) {
        probes.push(httpProbe(subject.url));
      }
      return probes;
    }
    case "tcp":
      return network(subject.host, subject.port, alternatives);
    case "file":
      return [fileProbe(subject.path)];
    case "command": {
      const probes: Probe[] = [];
      const program = executableOf(subject.command);
      if (program) probes.push(executableProbe(program, subject.cwd));
      if (subject.cwd) probes.push(fileProbe(subject.cwd));
      // A check changes nothing, so it may be run again; a step's own command never is.
      if (subject.from === "check" && !secret) probes.push(commandProbe(subject.command, subject.cwd));
      return probes;
    }
    case "aws": {
      const probes: Probe[] = [awsCredentialsProbe(env), awsAuthProbe(subject.service, env)];
      const endpoint = subject.endpoint ?? awsEndpointFromEnv(subject.service, env);
      const ep = endpoint ? endpointOf(endpoint) : undefined;
      if (ep) probes.push(...network(ep.host, ep.port, []));
      return probes;
    }
  }
}

function network(host: string, port: number, alternatives: readonly AlternativePort[]): Probe[] {
  const probes: Probe[] = [];
  if (needsLookup(host)) probes.push(dnsProbe(host));
  probes.push(tcpProbe(host, port));
  const tried = new Set([port]);
  for (const alt of alternatives) {
    if (tried.has(alt.port) || tried.size > MAX_ALTERNATIVES) continue;
    tried.add(alt.port);
    probes.push(tcpProbe(host, alt.port, alt.why));
  }
  return probes;
}
