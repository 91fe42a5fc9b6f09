/**
 * A cheap key for the miner's first cache: a hash of the message in which every run of two or
 * more digits is replaced by a mark (one mark for two digits, another for more), and runs of
 * whitespace count as one space.
 *
 * Why it is safe: masking (`mask.ts`) decides from character classes, not from digit values, and
 * a word with two or more digits is always a parameter. Two messages with the same skeleton
 * therefore have the same masked signature — single digits are kept as they are, since `eth0`
 * and `eth1` are names. So the key can stand in for the signature, and a message is hashed in
 * one pass over its characters instead of being masked word by word.
 *
 * The key is 53 bits (two 32-bit FNV-style hashes) plus the skeleton length, checked on a hit;
 * with 200 000 cached keys the chance that any two differ yet collide is below 1 in 10⁹.
 */
export interface SkeletonKey {
  /** The hash, an integer below 2⁵³ (a Map key that needs no string). */
  hash: number;
  /** The skeleton's length in characters, compared on a cache hit. */
  length: number;
}

/** Marks for digit runs: above 0xFFFF, so no character hashes like them. */
const RUN_OF_TWO = 0x10001;
const RUN_OF_MORE = 0x10002;

/** Fills `out` with the skeleton key of `message` (reused to avoid an allocation per line). */
export function skeletonKey(message: string, out: SkeletonKey): void {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 | 0;
  let length = 0;
  let digits = 0;
  let firstDigit = 0;
  let space = false;
  const n = message.length;
  for (let i = 0; i < n; i++) {
    const c = message.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 0) {
        if (space) {
          h1 = Math.imul(h1 ^ 32, 0x01000193);
          h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
          length++;
          space = false;
        }
        firstDigit = c; // hashed once the run is known to be a single digit
      } else if (digits === 1 || digits === 2) {
        const mark = digits === 1 ? RUN_OF_TWO : RUN_OF_MORE;
        h1 = Math.imul(h1 ^ mark, 0x01000193);
        h2 = Math.imul(h2 ^ mark, 0x5bd1e995);
        length++;
      }
      digits++;
      continue;
    }
    if (digits === 1) {
      h1 = Math.imul(h1 ^ firstDigit, 0x01000193);
      h2 = Math.imul(h2 ^ firstDigit, 0x5bd1e995);
      length++;
    }
    digits = 0;
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      if (length > 0) space = true;
      continue;
    }
    if (space) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      length++;
      space = false;
    }
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    length++;
  }
  if (digits === 1) {
    h1 = Math.imul(h1 ^ firstDigit, 0x01000193);
    h2 = Math.imul(h2 ^ firstDigit, 0x5bd1e995);
    length++;
  }
  out.hash = (h1 >>> 0) * 0x200000 + (h2 >>> 11);
  out.length = length;
}
