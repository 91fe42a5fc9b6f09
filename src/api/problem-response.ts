import type { FastifyReply, FastifyRequest } from "fastify";
import { type ProblemError, problemCode } from "./problem-error.ts";
import { PROBLEMS } from "./problems.ts";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/**
 * The absolute base URL of links this node hands out (problem `type`, `Location`): the configured
 * public URL, else the address the connection reached (the listen address). Never the `Host`
 * header: a client chooses that, and it would put its host into what we answer (and what a
 * cache may store for others).
 */
export function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/$/, "");
  const { localAddress, localPort } = request.socket;
  // Requests injected in-process (tests) have no socket address: the default bind stands in.
  if (!localAddress || !localPort) return "http://127.0.0.1";
  const address = localAddress.startsWith("::ffff:") ? localAddress.slice(7) : localAddress;
  return `http://${address.includes(":") ? `[${address}]` : address}:${localPort}`;
}

export function problemBody(
  request: FastifyRequest,
  problem: ProblemError,
  publicUrl: string | undefined,
): Record<string, unknown> {
  const spec = PROBLEMS[problem.slug];
  const body: Record<string, unknown> = {
    type: `${baseUrl(request, publicUrl)}/problems/${problem.slug}`,
    title: spec.title,
    status: spec.status,
    detail: problem.message,
    instance: `urn:opsdojo:request:${request.id}`,
  };
  const code = problemCode(problem);
  if (code !== undefined) body.code = code;
  if (problem.errors.length > 0) body.errors = problem.errors;
  for (const [k, v] of Object.entries(problem.extensions)) if (!(k in body)) body[k] = v;
  return body;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: ProblemError,
  publicUrl: string | undefined,
): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply
    .code(problem.status)
    .type(PROBLEM_MEDIA_TYPE)
    .send(JSON.stringify(problemBody(request, problem, publicUrl)));
}
