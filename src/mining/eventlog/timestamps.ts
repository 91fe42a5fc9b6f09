/**
 * A timestamp as written in event logs, as epoch milliseconds; null when blank, undefined when it
 * cannot be read. ISO 8601 with `T` or a space; a time without an offset is UTC (so that a log
 * reads the same on every machine); 10 digits are epoch seconds, 13 digits epoch milliseconds.
 */
export function parseTimestamp(text: string): number | null | undefined {
  const s = text.trim();
  if (s === "") return null;
  // The common XES form, `2010-12-30T14:32:00.000+01:00`, goes straight to Date.parse.
  if (s.length >= 20 && s.charCodeAt(10) === 84 && (s.endsWith("Z") || s.charCodeAt(s.length - 3) === 58)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return ms;
  }
  if (/^\d{10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{13}$/.test(s)) return Number(s);
  const m =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$/i.exec(
      s,
    );
  if (m) {
    const [, date, time, zone] = m;
    let z = zone ?? "Z";
    if (/^[+-]\d{2}$/.test(z)) z = `${z}:00`;
    else if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
    const iso = `${date}T${(time ?? "00:00:00").replace(",", ".")}${z.toUpperCase()}`;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC 3339 in UTC with milliseconds, as XES and our CSV write it. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
