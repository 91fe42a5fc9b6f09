/**
 * What a failing HTTP check shows of the body it got: often the decisive evidence (`{"status":
 * "fail","reason":"cannot parse db_url"}`), so the diagnosis quotes it — bounded, as one line of
 * text, with anything that looks like a secret masked. Binary bodies are named, not shown.
 */

/** At most this many bytes of the body are read and shown. */
export const EXCERPT_BYTES = 500;

const TEXTUAL =
  /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded|javascript|yaml|x-yaml)\b)/i;

// `"password": "…"`, `token=…`, `Authorization: Bearer …`: the value goes, the name stays so the
// reader still sees what was there.
const SECRET_VALUE =
  /((?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|authorization|credentials?|session)["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^"'\s,;&}]+/gi;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s/]+@/gi;

/** Masks values that look like secrets in `text`. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET_VALUE, "$1***").replace(BEARER, "$1 ***").replace(URL_USERINFO, "$1***@");
}

/** One line of printable text: controls and line breaks become spaces, runs of spaces one. */
export function oneLineText(text: string): string {
  return (
    text
      // C0 and C1 controls, DEL, and bidi overrides that could reorder what a terminal shows.
      .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Reads at most EXCERPT_BYTES of `response`'s body (then cancels it) and renders the excerpt. */
export async function bodyExcerpt(response: Response): Promise<string> {
  const type = response.headers.get("content-type") ?? "";
  const reader = textual(type) ? response.body?.getReader() : undefined;
  if (reader === undefined) {
    await response.body?.cancel().catch(() => {});
    return excerptOf(type, new Uint8Array());
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return excerptOf(type, Buffer.concat(chunks));
}

function textual(type: string): boolean {
  return type === "" || TEXTUAL.test(type);
}

/**
 * The excerpt of a body with this Content-Type: its first EXCERPT_BYTES as one line, `…` when
 * there was more; `(empty body)`; or `(a image/png body, not shown)`.
 */
export function excerptOf(type: string, bytes: Uint8Array): string {
  if (!textual(type)) return `(a ${type.split(";")[0]?.trim()} body, not shown)`;
  const cut = bytes.length > EXCERPT_BYTES;
  // A character cut in half at the limit decodes to U+FFFD: dropped rather than shown.
  let text = new TextDecoder("utf-8").decode(bytes.subarray(0, EXCERPT_BYTES));
  if (cut) text = text.replace(/\uFFFD$/, "");
  const shown = maskSecrets(oneLineText(text));
  if (shown === "") return "(empty body)";
  // Not JSON-quoted: a JSON body would come out as \"escaped\" quotes, unreadable.
  return `${shown}${cut ? "…" : ""}`;
}
