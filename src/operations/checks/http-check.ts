import { OpsdojoError, quote } from "../../core/index.ts";
import type { Host } from "../hosts/index.ts";
import { bodyExcerpt, excerptOf } from "./body-excerpt.ts";
import { fetchFrom } from "./fetch-from.ts";
import type { Attempt, CheckSpec } from "./model.ts";

type HttpSpec = Extract<CheckSpec, { kind: "http" }>;

const MAX_BODY = 1024 * 1024;

/** `status` when given (else any 2xx), and the body containing `body_contains` when given. */
export async function httpAttempt(spec: HttpSpec, signal: AbortSignal, from?: Host): Promise<Attempt> {
  const wantStatus = spec.status === undefined ? "a 2xx status" : `HTTP ${spec.status}`;
  const expected = `${wantStatus} from ${spec.method ?? "GET"} ${spec.url}${from ? ` (from ${from.name})` : ""}${spec.body_contains !== undefined ? ` with a body containing ${quote(spec.body_contains)}` : ""}`;
  let response: Response;
  try {
    response = from
      ? await fetchFrom(from, spec.url, spec.method ?? "GET", signal)
      : await fetch(spec.url, { method: spec.method ?? "GET", redirect: "manual", signal });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? "no answer in time"
        : error instanceof OpsdojoError
          ? e.message
          : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, expected, observed: `no response: ${why}` };
  }
  const statusOk =
    spec.status === undefined
      ? response.status >= 200 && response.status < 300
      : response.status === spec.status;
  if (spec.body_contains === undefined) {
    if (statusOk) {
      await response.body?.cancel().catch(() => {});
      return { ok: true, expected, observed: `HTTP ${response.status}` };
    }
    // The body of a failing answer is often what says why: the diagnosis quotes it.
    return { ok: false, expected, observed: `HTTP ${response.status}, body: ${await bodyExcerpt(response)}` };
  }
  const type = response.headers.get("content-type") ?? "";
  const body = (await response.text()).slice(0, MAX_BODY);
  const bodyOk = body.includes(spec.body_contains);
  if (statusOk && bodyOk) return { ok: true, expected, observed: `HTTP ${response.status}` };
  const without = bodyOk ? "" : `, body without ${quote(spec.body_contains)}`;
  return {
    ok: false,
    expected,
    observed: `HTTP ${response.status}${without}: ${excerptOf(type, Buffer.from(body, "utf8"))}`,
  };
}
