import { WILDCARD } from "./model.ts";

/**
 * Hints from how programs print things that move the bar of "enough different words make a
 * parameter" (see `MinerOptions.distinctValues` and `firstWordByVariety`): a word after `user` is
 * a user name, and a dotted first word names a component. Both are general rules (docs/mining.md,
 * "Generalisation"), not measured choices.
 */

/**
 * A reverse-DNS style name — three or more dotted parts, as in `com.apple.icloud.fmfd.heartbeat:`
 * or `org.example.Worker` (bundle ids, Java packages and classes, launchd and D-Bus names): a
 * component, the subject of a message rather than what happens, so like any other word it may
 * become a parameter by variety even in the first position.
 */
export function isDottedName(token: string): boolean {
  let dots = 0;
  let end = token.length;
  if (end > 0 && token.charCodeAt(end - 1) === 58) end--; // `name:`
  if (end === 0 || !isLetter(token.charCodeAt(0))) return false;
  for (let i = 0; i < end; i++) {
    const c = token.charCodeAt(i);
    if (c === 60 && token.startsWith(WILDCARD, i)) {
      i += WILDCARD.length - 1; // a part already a parameter (`com.apple.sync.x-<*>`)
    } else if (c === 46) {
      if (i === 0 || token.charCodeAt(i - 1) === 46 || i === end - 1) return false;
      dots++;
    } else if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return dots >= 2;
}

/**
 * Whether a token is the word `user` (or `username`), after which programs print a user name
 * (`session opened for user %s`, `Invalid user %s`): two different words there are two values
 * of one parameter, not two activities.
 */
export function namesAUser(token: string | undefined): boolean {
  if (token === undefined || (token.length !== 4 && token.length !== 8)) return false;
  const t = token.toLowerCase();
  return t === "user" || t === "username";
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
