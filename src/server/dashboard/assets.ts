import { createHash } from "node:crypto";
import { API_JS } from "./client/api.ts";
import { FORMAT_JS } from "./client/format.ts";
import { MAIN_JS } from "./client/main.ts";
import { MODELS_JS } from "./client/models.ts";
import { POLL_JS } from "./client/poll.ts";
import { ROUTES_JS } from "./client/routes.ts";
import { RUN_JS } from "./client/run.ts";
import { RUNS_JS } from "./client/runs.ts";
import { SERVICES_JS } from "./client/services.ts";
import { SESSION_JS } from "./client/session.ts";
import { SESSIONS_JS } from "./client/sessions.ts";
import { SSE_JS } from "./client/sse.ts";
import { STYLE_CSS } from "./client/style.ts";
import { SVG_JS } from "./client/svg.ts";

/** One file the browser loads: its name under {@link ASSET_BASE}, its type and its text. */
export interface Asset {
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
}

const JS = "text/javascript; charset=utf-8";

/** The client: ES modules that import each other by relative URL, and one stylesheet. */
export const ASSETS: readonly Asset[] = [
  { name: "style.css", contentType: "text/css; charset=utf-8", body: STYLE_CSS },
  { name: "main.js", contentType: JS, body: MAIN_JS },
  { name: "routes.js", contentType: JS, body: ROUTES_JS },
  { name: "api.js", contentType: JS, body: API_JS },
  { name: "format.js", contentType: JS, body: FORMAT_JS },
  { name: "poll.js", contentType: JS, body: POLL_JS },
  { name: "sse.js", contentType: JS, body: SSE_JS },
  { name: "svg.js", contentType: JS, body: SVG_JS },
  { name: "services.js", contentType: JS, body: SERVICES_JS },
  { name: "runs.js", contentType: JS, body: RUNS_JS },
  { name: "run.js", contentType: JS, body: RUN_JS },
  { name: "sessions.js", contentType: JS, body: SESSIONS_JS },
  { name: "session.js", contentType: JS, body: SESSION_JS },
  { name: "models.js", contentType: JS, body: MODELS_JS },
];

/** A digest of every asset: their URLs change exactly when their content does. */
const VERSION = createHash("sha256")
  .update(ASSETS.map((a) => `${a.name}\0${a.body}`).join("\0"))
  .digest("hex")
  .slice(0, 12);

export const ASSET_BASE = `/dashboard/${VERSION}`;
