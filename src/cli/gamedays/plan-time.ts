import { UsageError } from "../errors.ts";

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export const PLAN_TIME_FORMATS =
  '"YYYY-MM-DD HH:MM" (this machine\'s local time, 24 h) or RFC 3339 with an offset (2026-12-10T14:00:00+01:00, …Z)';

/**
 * `--at` of `gameday plan`: a local wall-clock time as people say it, or an exact instant. A local
 * time is read in this machine's zone (TZ), because that is where whoever types it sits; the
 * store keeps the instant in UTC. Days and hours are checked as written (no 2026-02-31 rolling
 * into March).
 */
export function parsePlanTime(text: string, command: string): string {
  const t = text.trim();
  const bad = () =>
    new UsageError(`--at "${t.slice(0, 40)}" is not a time; use ${PLAN_TIME_FORMATS}`, command);
  if (WITH_OFFSET.test(t)) {
    const ms = Date.parse(t.replace(" ", "T"));
    if (Number.isNaN(ms)) throw bad();
    return new Date(ms).toISOString();
  }
  const m = LOCAL.exec(t);
  if (!m) throw bad();
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const local = new Date(y, mo - 1, d, h, mi, s);
  if (
    local.getFullYear() !== y ||
    local.getMonth() !== mo - 1 ||
    local.getDate() !== d ||
    local.getHours() !== h ||
    local.getMinutes() !== mi
  )
    throw bad();
  return local.toISOString();
}
