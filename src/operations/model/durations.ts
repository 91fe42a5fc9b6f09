/** `500ms`, `10s`, `5m`, `1h` — the only duration forms operation/v1 accepts. */
export const DURATION_PATTERN = "^[0-9]+(ms|s|m|h)$";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * Milliseconds of a duration, or `undefined` when the text is not one or is too large to be
 * exact (beyond Number.MAX_SAFE_INTEGER ms, about 285 000 years).
 *
 * @example parseDuration("10s") // 10000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]+)(ms|s|m|h)$/.exec(text);
  if (!match) return undefined;
  const digits = match[1] as string;
  const unit = match[2] as keyof typeof UNIT_MS;
  if (digits.length > 16) return undefined;
  const ms = Number(digits) * UNIT_MS[unit];
  return Number.isSafeInteger(ms) ? ms : undefined;
}
