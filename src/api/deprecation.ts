import { ProblemError } from "./problem-error.ts";

/** A deprecation schedule, for an operation (route config) or a whole API version. */
export interface Deprecation {
  readonly deprecatedAt: Date;
  readonly sunsetAt?: Date;
  /** What to use instead, shown in the 410 problem and as `Link: <…>; rel="successor-version"`. */
  readonly successor?: string;
}

/**
 * Headers for a deprecated thing (RFC 9745 `Deprecation: @epoch`, RFC 8594 `Sunset`), or a 410
 * problem when its sunset has passed.
 */
export function deprecationHeaders(d: Deprecation, now: Date, what: string): Record<string, string> {
  if (d.sunsetAt && now.getTime() >= d.sunsetAt.getTime()) {
    throw new ProblemError(
      "gone",
      `${what} was retired on ${d.sunsetAt.toISOString()}${d.successor ? `; use ${d.successor}` : ""}`,
      d.successor ? { headers: { link: `<${d.successor}>; rel="successor-version"` } } : {},
    );
  }
  const headers: Record<string, string> = { deprecation: `@${Math.floor(d.deprecatedAt.getTime() / 1000)}` };
  if (d.sunsetAt) headers.sunset = d.sunsetAt.toUTCString();
  if (d.successor) headers.link = `<${d.successor}>; rel="successor-version"`;
  return headers;
}
