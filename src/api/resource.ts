import type { FastifyReply, FastifyRequest } from "fastify";
import { noneMatch, quoteEtag } from "./etag.ts";
import { baseUrl } from "./problem-response.ts";

/** A resource as the core sees it: common attributes plus anything else. */
export interface Entity {
  readonly id: string;
  readonly etag: string;
  readonly [field: string]: unknown;
}

/** Send a single resource with its `ETag`; a GET whose `If-None-Match` matches gets 304. */
export function sendEntity<T extends Entity>(
  request: FastifyRequest,
  reply: FastifyReply,
  entity: T,
  status = 200,
): T | FastifyReply {
  reply.header("etag", quoteEtag(entity.etag));
  if (
    (request.method === "GET" || request.method === "HEAD") &&
    !noneMatch(request.headers["if-none-match"], entity.etag)
  ) {
    return reply.code(304).send();
  }
  reply.code(status);
  return entity;
}

/** 201 with an absolute `Location` at which GET returns the same representation. */
export function sendCreated<T extends Entity>(
  request: FastifyRequest,
  reply: FastifyReply,
  entity: T,
  path: string,
): T {
  reply.header("location", `${baseUrl(request, request.server.core.publicUrl)}${path}`);
  reply.header("etag", quoteEtag(entity.etag));
  reply.code(201);
  return entity;
}

/** Whether the client asked only to validate (`validate_only=true`): no side effect allowed. */
export function isValidateOnly(request: FastifyRequest): boolean {
  return (request.query as { validate_only?: boolean } | undefined)?.validate_only === true;
}
