import type { FastifyReply, FastifyRequest } from "fastify";
import type { ProblemError } from "./problem-error.ts";
import { PROBLEMS } from "./problems.ts";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/** The absolute base URL of this request (`http://host:port`), or the configured public URL. */
export function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/$/, "");
  return `${request.protocol}://${request.host}`;
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
