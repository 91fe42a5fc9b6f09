/**
 * The message of anything thrown, for a sentence that says what went wrong: an Error's message
 * (its name when the message is empty), a thrown string as it is, anything else as JSON-ish text.
 * It replaces `(error as Error).message`, which is `undefined` for a thrown string or object.
 *
 * @example
 * messageOf(new Error("ENOENT: no such file")); // "ENOENT: no such file"
 * messageOf("stopped");                         // "stopped"
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string" && message !== "") return message;
    try {
      return JSON.stringify(error) ?? String(error);
    } catch {
      return String(error);
    }
  }
  return String(error);
}
