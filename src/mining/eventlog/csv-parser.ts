/**
 * RFC 4180 CSV, streamed: quoted fields may hold separators, quotes (`""`) and line breaks.
 * Rows are reported with the line they start on.
 */
export class CsvParser {
  readonly #separator: string;
  readonly #onRow: (fields: string[], line: number) => void;
  #field = "";
  #fields: string[] = [];
  #inQuotes = false;
  /** A quote just closed: the next char decides whether it was `""`. */
  #quoteEnded = false;
  #line = 1;
  #rowLine = 1;
  #pendingCR = false;

  constructor(separator: string, onRow: (fields: string[], line: number) => void) {
    this.#separator = separator;
    this.#onRow = onRow;
  }

  push(text: string): void {
    const sep = this.#separator;
    let field = this.#field;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (this.#pendingCR) {
        this.#pendingCR = false;
        if (c === "\n") continue;
      }
      if (this.#inQuotes) {
        if (c === '"') {
          this.#inQuotes = false;
          this.#quoteEnded = true;
        } else {
          if (c === "\n") this.#line++;
          field += c;
        }
        continue;
      }
      if (c === '"') {
        // `""` inside a quoted field is one quote; a quote opening a field starts quoting.
        if (this.#quoteEnded) field += '"';
        this.#inQuotes = true;
        this.#quoteEnded = false;
        continue;
      }
      this.#quoteEnded = false;
      if (c === sep) {
        this.#fields.push(field);
        field = "";
      } else if (c === "\n" || c === "\r") {
        if (c === "\r") this.#pendingCR = true;
        this.#fields.push(field);
        field = "";
        this.#emit();
        this.#line++;
        this.#rowLine = this.#line;
      } else {
        field += c;
      }
    }
    this.#field = field;
  }

  end(): void {
    if (this.#field !== "" || this.#fields.length > 0) {
      this.#fields.push(this.#field);
      this.#field = "";
      this.#emit();
    }
  }

  get unterminatedQuote(): boolean {
    return this.#inQuotes;
  }

  #emit(): void {
    const fields = this.#fields;
    this.#fields = [];
    // A blank line is no row.
    if (fields.length === 1 && fields[0] === "") return;
    this.#onRow(fields, this.#rowLine);
  }
}

/** The separator of a header line: the most frequent of `,` `;` tab `|` outside quotes. */
export function detectSeparator(headerLine: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "," || c === ";" || c === "\t" || c === "|"))
      counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ",";
  let bestCount = 0;
  for (const [c, n] of counts) {
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}
