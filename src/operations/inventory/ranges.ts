/** At most this many names from one pattern: `web[0:999999]` is a typo, not a fleet. */
export const MAX_RANGE_HOSTS = 100_000;

const RANGE = /\[([^\]]*)\]/;

/**
 * Expands Ansible's host ranges: `web[01:20]` (zero-padded to the width written), `db-[a:f]`,
 * a step `node[1:9:2]`, several ranges in one name (every combination). A name without `[`
 * is itself. Throws a plain Error with what was expected; the reader adds file and line.
 *
 * @example
 * expandHostRange("web[01:03].lan") // ["web01.lan", "web02.lan", "web03.lan"]
 */
export function expandHostRange(pattern: string): string[] {
  const match = RANGE.exec(pattern);
  if (match === null) {
    if (pattern.includes("[") || pattern.includes("]"))
      throw new Error(`unbalanced brackets in host "${pattern}"`);
    return [pattern];
  }
  const head = pattern.slice(0, match.index);
  const tail = pattern.slice(match.index + match[0].length);
  const items = rangeItems(match[1] ?? "", pattern);
  const rest = expandHostRange(tail);
  if (items.length * rest.length > MAX_RANGE_HOSTS) {
    throw new Error(`host range "${pattern}" makes more than ${MAX_RANGE_HOSTS} hosts`);
  }
  return items.flatMap((item) => rest.map((r) => `${head}${item}${r}`));
}

function rangeItems(body: string, pattern: string): string[] {
  const parts = body.split(":");
  if (parts.length < 2 || parts.length > 3) {
    throw new Error(`host range "[${body}]" in "${pattern}": expected [start:end] or [start:end:step]`);
  }
  const [start = "", end = "", stepText = "1"] = parts;
  const step = Number(stepText);
  if (!Number.isInteger(step) || step < 1) {
    throw new Error(`host range "[${body}]" in "${pattern}": the step must be a whole number of 1 or more`);
  }
  if (/^[a-zA-Z]$/.test(start) && /^[a-zA-Z]$/.test(end)) return letters(start, end, step, body, pattern);
  if (/^[0-9]+$/.test(start) && /^[0-9]+$/.test(end)) return numbers(start, end, step, body, pattern);
  throw new Error(
    `host range "[${body}]" in "${pattern}": expected two numbers (01:20) or two letters (a:f)`,
  );
}

function numbers(start: string, end: string, step: number, body: string, pattern: string): string[] {
  const from = Number(start);
  const to = Number(end);
  if (from > to) throw new Error(`host range "[${body}]" in "${pattern}": the start is after the end`);
  if ((to - from) / step >= MAX_RANGE_HOSTS) {
    throw new Error(`host range "[${body}]" in "${pattern}" makes more than ${MAX_RANGE_HOSTS} hosts`);
  }
  // A leading zero asks for a fixed width, as written in the start (Ansible's rule too).
  const width = start.length > 1 && start.startsWith("0") ? start.length : 0;
  const out: string[] = [];
  for (let n = from; n <= to; n += step) out.push(String(n).padStart(width, "0"));
  return out;
}

function letters(start: string, end: string, step: number, body: string, pattern: string): string[] {
  const from = start.charCodeAt(0);
  const to = end.charCodeAt(0);
  if (from > to) throw new Error(`host range "[${body}]" in "${pattern}": the start is after the end`);
  const out: string[] = [];
  for (let c = from; c <= to; c += step) out.push(String.fromCharCode(c));
  return out;
}
