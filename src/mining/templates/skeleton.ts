/**
 * A cheap key for the miner's first cache: a hash of the message in which every run of digits is
 * replaced by a mark for its length (a single digit after a letter stays itself), and runs of
 * whitespace count as one space.
 *
 * Why it is safe: masking (`mask.ts`) decides from character classes and run lengths, not from
 * digit values, and a word with two or more digits, or with one digit that does not follow a
 * letter, is always a parameter. Values written over several tokens (`spans.ts`) are found the
 * same way, and by where whitespace is, never by how much or which: runs of it hash as one space. Two messages with the same skeleton therefore have the same
 * masked signature — except for a single digit after a letter, which masking keeps (`eth0` is a
 * name). Such digits are left out of the hash and kept in `names` instead: the miner compares
 * numbered names digit-blind (`numbered-names.ts`), so `eth3` and `eth7` find one cached
 * template, and `names` tells it when a line's names differ from those the template was cached
 * with (so the template can learn that the number varies). So the key (hash, length, names) can
 * stand in for the signature, and a message is hashed in one pass over its characters instead
 * of being masked word by word.
 *
 * The key is 53 bits (a 32-bit FNV-1a hash and 21 bits of the sum of its states) plus the
 * skeleton length, checked on a hit. With 200 000 cached keys, the chance that two different
 * skeletons of one length share a key is about 2 in a million (birthday bound, 2^53 keys).
 */
export interface SkeletonKey {
  /** The hash, an integer below 2⁵³ (a Map key that needs no string). */
  hash: number;
  /** The skeleton's length in characters, compared on a cache hit. */
  length: number;
  /** A hash of the single digits after letters (`eth3`), 0 when there is none. */
  names: number;
}

/** Marks for digit runs, by length: above 0xFFFF, so no character hashes like them. */
const RUN = 0x10000;
/**
 * Run lengths are told apart up to this one: shapes depend on them (a MAC has pairs, an ISO date
 * 4-2-2, a UUID groups of up to 12 hex digits). Longer runs are all numbers alike.
 */
const LONGEST_TOLD_APART = 13;
/** The mark of a single digit after a letter (`eth3`): its value goes to `names`. */
const NAME_DIGIT = RUN + LONGEST_TOLD_APART + 1;

/** Fills `out` with the skeleton key of `message` (reused to avoid an allocation per line). */
export function skeletonKey(message: string, out: SkeletonKey): void {
  // Two hashes: FNV-1a over the skeleton, and the running sum of its states (one add per char).
  let h = 0x811c9dc5 | 0;
  let sum = 0;
  let names = 0;
  let length = 0;
  let space = false;
  const n = message.length;
  let i = 0;
  while (i < n) {
    const c = message.charCodeAt(i);
    if (c > 57) {
      // Letters and most punctuation: the common case first.
      if (space) {
        h = Math.imul(h ^ 32, 0x01000193);
        sum = (sum + h) | 0;
        length++;
        space = false;
      }
      h = Math.imul(h ^ c, 0x01000193);
      sum = (sum + h) | 0;
      length++;
      i++;
    } else if (c >= 48) {
      if (space) {
        h = Math.imul(h ^ 32, 0x01000193);
        sum = (sum + h) | 0;
        length++;
        space = false;
      }
      let j = i + 1;
      while (j < n) {
        const d = message.charCodeAt(j);
        if (d < 48 || d > 57) break;
        j++;
      }
      const digits = j - i;
      // Only after a letter can one digit be part of a name (`eth0`); elsewhere it is a number.
      let mark = RUN + Math.min(digits, LONGEST_TOLD_APART);
      if (digits === 1 && i > 0 && isLetter(message.charCodeAt(i - 1))) {
        mark = NAME_DIGIT;
        names = Math.imul(names ^ c, 0x01000193) | 1;
      }
      h = Math.imul(h ^ mark, 0x01000193);
      sum = (sum + h) | 0;
      length++;
      i = j;
    } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      if (length > 0) space = true;
      i++;
    } else {
      if (space) {
        h = Math.imul(h ^ 32, 0x01000193);
        sum = (sum + h) | 0;
        length++;
        space = false;
      }
      h = Math.imul(h ^ c, 0x01000193);
      sum = (sum + h) | 0;
      length++;
      i++;
    }
  }
  out.hash = (h >>> 0) * 0x200000 + ((sum >>> 0) & 0x1fffff);
  out.length = length;
  out.names = names;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128;
}
