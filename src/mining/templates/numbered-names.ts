import { WILDCARD } from "./model.ts";

/**
 * Names with a number in them (`eth3`, `ssh2`, `jk2_init()`, `tbird-admin5`): masking keeps a
 * single digit after letters as part of the word, because such a word usually names one thing
 * (a protocol version, an interface) and labelled templates keep it. But it is still a value by
 * its shape — letters with a digit — and another log, or the same log on another day, writes
 * `eth0`, `eth1`, `eth7`. If every digit made its own template, a log whose names vary would
 * multiply its templates by the number of names in each message.
 *
 * So the miner compares such tokens digit-blind: `eth3` and `eth7` fit one template token. The
 * template keeps the name as first seen until another one arrives, and then writes the digits
 * as a parameter (`eth<*>`). This rule uses no data set: it follows from what masking leaves —
 * after masking, a digit survives only inside such a name.
 */

/** `eth3` → `eth0`: every digit written as `0`; tokens without a digit come back unchanged. */
export function foldDigits(token: string): string {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return token.replace(DIGITS, "0");
  }
  return token;
}

/** Whether a token holds a digit (after masking: a numbered name). */
export function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** `jk2_init()` → `jk<*>_init()`: the name with its number as a parameter. */
export function numberAsParameter(token: string): string {
  return token.replace(DIGIT_RUNS, WILDCARD);
}

const DIGITS = /\d/g;
const DIGIT_RUNS = /\d+/g;
