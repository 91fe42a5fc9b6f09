import { parseTimestamp } from "../eventlog/index.ts";

/** Header fields that hold the time, joined in this order when several are present. */
const TIME_FIELDS = ["Date", "Day", "Time"] as const;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A year for logs that leave it out (syslog, Android): a leap year, so that 29 February reads.
 * Only differences between times matter to the watcher, and a log rarely spans New Year.
 */
const ASSUMED_YEAR = 2000;

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0) =>
  Date.UTC(y, mo, d, h, mi, s, ms);

const fraction = (digits: string | undefined) =>
  digits === undefined ? 0 : Math.round(Number(`0.${digits}`) * 1000);

/**
 * The forms that ISO-minded parsing misses, all read as UTC: `081109 203615` (HDFS),
 * `Dec 10 06:55:46` (syslog), `03-17 16:13:38.811` (Android), `Sun Dec 04 04:47:44 2005`
 * (Apache), `20171223-22:15:29:606` (HealthApp), `17/06/09 20:10:40` (Spark), `10.30 16:49:06`
 * (Proxifier).
 */
function parseLogForms(s: string): number | undefined {
  let m = /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/.exec(s);
  if (m)
    return utc(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = /^(?:[A-Za-z]{3} )?([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?: (\d{4}))?$/.exec(
    s,
  );
  if (m) {
    const month = MONTHS.indexOf((m[1] as string).toLowerCase());
    if (month < 0) return undefined;
    const year = m[7] === undefined ? ASSUMED_YEAR : Number(m[7]);
    return utc(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), fraction(m[6]));
  }
  m = /^(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?$/.exec(s);
  if (m) {
    return utc(
      ASSUMED_YEAR,
      Number(m[1]) - 1,
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      fraction(m[6]),
    );
  }
  m = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (m)
    return utc(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = /^(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (m) return utc(ASSUMED_YEAR, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  m = /^(\d{4})(\d{2})(\d{2})-(\d{1,2}):(\d{1,2}):(\d{1,2})(?::(\d+))?$/.exec(s);
  if (m) {
    const ms = m[7] === undefined ? 0 : Number(m[7]);
    return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  }
  return undefined;
}

/** Epoch ms of one timestamp text, or undefined when it is none of the forms we read. */
export function parseLogTime(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  const own = parseLogForms(s);
  if (own !== undefined) return own;
  // Only ISO 8601 and epoch numbers: Date.parse's guesses would depend on the machine's zone.
  if (!/^\d{4}-\d{2}-\d{2}|^\d{10}(\.\d+)?$|^\d{13}$/.test(s)) return undefined;
  return parseTimestamp(s) ?? undefined;
}

/**
 * Which header fields give a line's time: `Timestamp` when the format has one, else Date, Day
 * and Time joined in that order. Returns a reader of a line's fields (undefined: no time in it),
 * or undefined when the format has no time field at all.
 */
export function logTimeReader(
  fields: readonly string[],
): ((values: Readonly<Record<string, string>>) => number | undefined) | undefined {
  const joined = TIME_FIELDS.filter((f) => fields.includes(f));
  const hasStamp = fields.includes("Timestamp");
  if (!hasStamp && joined.length === 0) return undefined;
  return (values) => {
    if (hasStamp) {
      const t = parseLogTime(values.Timestamp ?? "");
      if (t !== undefined) return t;
    }
    return joined.length === 0 ? undefined : parseLogTime(joined.map((f) => values[f] ?? "").join(" "));
  };
}
