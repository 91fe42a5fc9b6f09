/**
 * A cheap key for the miner's first cache: a hash of the message in which every run of digits is
 * replaced by a mark for its length (a single digit after a letter stays itself), and runs of
 * whitespace count as one space.
 *
 * Why it is safe: masking (`mask.ts`) decides from character classes and run lengths, not from
 * digit values, and a word with two or more digits, or with one digit that does not follow a
 * letter, is always a parameter. Two messages with the same skeleton therefore have the same masked signature — a
 * single digit after a letter is kept as it is, since `eth0` and `eth1` are names. So the key can
 * stand in for the signature, and a message is hashed in one pass over its characters instead
 * of being masked word by word.
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

/** Marks for digit runs, by length: above 0xFFFF, so no character hashes like them. */
const RUN = 0x10000;
/**
 * Run lengths are told apart up to this one: shapes depend on them (a MAC has pairs, an ISO date
 * 4-2-2, a UUID groups of up to 12 hex digits). Longer runs are all numbers alike.
 */
const LONGEST_TOLD_APART = 13;

/** Fills `out` with the skeleton key of `message` (reused to avoid an allocation per line). */
export function skeletonKey(message: string, out: SkeletonKey): void {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 | 0;
  let length = 0;
  let digits = 0;
  let firstDigit = 0;
  let afterLetter = false; // whether the character before the current digit run is a letter
  let letter = false;
  let space = false;
  const n = message.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? message.charCodeAt(i) : -1;
    if (c >= 48 && c <= 57) {
      if (digits === 0) {
        if (space) {
          h1 = Math.imul(h1 ^ 32, 0x01000193);
          h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
          length++;
          space = false;
        }
        firstDigit = c;
        afterLetter = letter;
      }
      digits++;
      continue;
    }
    if (digits > 0) {
      // Only after a letter can one digit be part of a name (`eth0`); elsewhere it is a number.
      const mark = digits === 1 && afterLetter ? firstDigit : RUN + Math.min(digits, LONGEST_TOLD_APART);
      h1 = Math.imul(h1 ^ mark, 0x01000193);
      h2 = Math.imul(h2 ^ mark, 0x5bd1e995);
      length++;
      digits = 0;
    }
    if (c < 0) break;
    letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128;
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
  out.hash = (h1 >>> 0) * 0x200000 + (h2 >>> 11);
  out.length = length;
}
