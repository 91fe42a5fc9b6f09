import { type TSchema, Type } from "typebox";
import { MAX_FILTER_LENGTH } from "./paging/index.ts";

/** The problem document every 4xx/5xx carries (RFC 9457 plus `errors[]`). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: "uri", description: "Resolves to a page describing the problem." }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    code: Type.Optional(
      Type.String({
        description:
          "The stable code of opsdojo's error behind the problem (docs/errors.md), when one of its typed errors caused it.",
      }),
    ),
    instance: Type.Optional(
      Type.String({ description: "Identifies this occurrence; carries the request id." }),
    ),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          detail: Type.String(),
          pointer: Type.String({ description: "JSON pointer into the part of the request named by `in`." }),
          in: Type.Union([
            Type.Literal("body"),
            Type.Literal("query"),
            Type.Literal("path"),
            Type.Literal("header"),
          ]),
        }),
      ),
    ),
  },
  { additionalProperties: true, title: "Problem" },
);

const pageParams = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      default: 50,
      description: "Page size; default 50, values above 500 are lowered to 500.",
    }),
  ),
  cursor: Type.Optional(
    Type.String({ maxLength: 4096, description: "The `next_cursor` of the previous page." }),
  ),
  filter: Type.Optional(
    Type.String({
      maxLength: MAX_FILTER_LENGTH,
      description:
        'AIP-160 subset: `field op value` joined by `AND`; ops `= != < <= > >=`; strings quoted, e.g. `owner = "sre" AND created_at >= "2026-01-01T00:00:00Z"`.',
    }),
  ),
  sort: Type.Optional(
    Type.String({
      maxLength: 200,
      description: "`field` ascending or `-field` descending; comma-separated.",
    }),
  ),
};

/** Query parameters of every paginated collection. */
export function pageQuery() {
  return Type.Object(pageParams, { additionalProperties: false });
}

/** Query parameters of a collection whose items can be soft-deleted. */
export function softDeletePageQuery() {
  return Type.Object(
    {
      ...pageParams,
      show_deleted: Type.Optional(Type.Boolean({ description: "Include soft-deleted items." })),
    },
    { additionalProperties: false },
  );
}

/** `{items: [...], next_cursor?}`. */
export function pageOf<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      next_cursor: Type.Optional(
        Type.String({ description: "Present while more items follow; pass it as `cursor`." }),
      ),
    },
    { additionalProperties: false, title },
  );
}

/** The attributes every resource carries (CB-12). */
export const commonAttributes = {
  id: Type.String({ description: "Opaque id with a type prefix." }),
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
  etag: Type.String({ description: "Strong entity tag; the `ETag` header carries it quoted." }),
};

export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

/** The 304 of a GET that answers `If-None-Match` (sendEntity), as every such route documents it. */
export const NOT_MODIFIED = { description: "Not modified (If-None-Match matched)", type: "null" } as const;
