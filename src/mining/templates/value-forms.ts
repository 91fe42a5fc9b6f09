import { WILDCARD } from "./model.ts";

/**
 * One value, written in several ways: `1234 bytes (1.20 KB)`, `<1 sec`, `00:02`, `80 B` and
 * `12 KB` are all a size or a duration; a list of values may be of any length (`ask <*> to delete
 * blk_1 blk_2 blk_3`). Messages of one event that write their value differently
 * have different lengths, so they would found different templates; their common form — each
 * value one `<*>` — tells that they are one event (`<*> sent` for `<*> bytes sent` and
 * `<*> bytes (<*> KB) sent`).
 *
 * The form is used only to find such siblings: a template keeps its units (`took <*> ms`) until
 * a message writes its value in another way.
 */
export function valueForm(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = valueToken(tokens[i] ?? "");
    const previous = out[out.length - 1];
    // A list of values, however long: `delete <*> <*> <*>` is `delete <*>`.
    if (token === WILDCARD && previous === WILDCARD) continue;
    if (previous !== undefined && endsWithValue(previous)) {
      // A unit after a value: `<*> KB,` → `<*>,`.
      const unit = unitWithTail(token);
      if (unit !== undefined) {
        out[out.length - 1] = previous + unit;
        continue;
      }
      // The value again, in parentheses: `<*> (<*> KB)` or `<*> (<*>)`.
      const next = tokens[i + 1];
      if (token === `(${WILDCARD})`) continue;
      if (token === `(${WILDCARD}` && next !== undefined) {
        const closing = unitWithTail(next);
        if (closing?.startsWith(")")) {
          out[out.length - 1] = previous + closing.slice(1);
          i++;
          continue;
        }
      }
    }
    out.push(token);
  }
  return out;
}

const UNITS = new Set(
  "b,kb,mb,gb,tb,pb,kib,mib,gib,tib,byte,bytes,k,m,g,ms,us,µs,ns,s,sec,secs,second,seconds,min,mins,minute,minutes,h,hr,hrs,hour,hours,%".split(
    ",",
  ),
);

/** `KB,` → `,` and `sec` → `` (what is left of a unit when it joins its value); else undefined. */
function unitWithTail(token: string): string | undefined {
  let end = token.length;
  while (end > 0 && ",;.)]}".includes(token[end - 1] ?? "")) end--;
  return end > 0 && UNITS.has(token.slice(0, end).toLowerCase()) ? token.slice(end) : undefined;
}

function endsWithValue(token: string): boolean {
  return token === WILDCARD || token.endsWith(WILDCARD);
}

/** A token that is only values and punctuation between them (`<*>:<*>`, `<*>-<*>`) is one value. */
function valueToken(token: string): string {
  if (!token.includes(WILDCARD)) return token;
  return /^(?:<\*>[:/.\-+,]?)+$/.test(token) && !token.endsWith(",") ? WILDCARD : token;
}
