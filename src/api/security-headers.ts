import { createHash } from "node:crypto";
import { PAGE_STYLE } from "./html.ts";

/**
 * Headers every response carries, so a page of ours cannot be framed (clickjacking), sniffed into
 * another type, made to run a script it did not ship, or leak its URL (which may hold a token in
 * the fragment's neighbourhood) to another site.
 *
 * The policy is what our own pages need and no more: the dashboard loads its modules, stylesheet
 * and data from this origin; the /docs and /problems pages carry one inline stylesheet, allowed
 * by its hash rather than by 'unsafe-inline'; the dashboard draws process models as inline SVG,
 * whose presentation attributes CSP does not govern. JSON responses carry it too: it costs
 * nothing there and covers any body a browser is tricked into rendering (an SVG model, say).
 */
const STYLE_HASH = `'sha256-${createHash("sha256").update(PAGE_STYLE).digest("base64")}'`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${STYLE_HASH}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};
