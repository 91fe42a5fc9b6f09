/**
 * For tests: a strict RFC 4180 reader — records end with CRLF (the last one too), a quoted
 * field may hold commas, CR, LF and doubled quotes, an unquoted one none of them.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`not RFC 4180 CSV: ${what} at offset ${pos}`);
  };
  while (pos < text.length) {
    let field = "";
    if (text[pos] === '"') {
      pos++;
      for (;;) {
        const quote = text.indexOf('"', pos);
        if (quote < 0) fail("unterminated quoted field");
        field += text.slice(pos, quote);
        pos = quote + 1;
        if (text[pos] !== '"') break;
        field += '"';
        pos++;
      }
    } else {
      const end = text.slice(pos).search(/[,\r\n"]/);
      const stop = end < 0 ? text.length : pos + end;
      field = text.slice(pos, stop);
      pos = stop;
      if (text[pos] === '"') fail("a quote inside an unquoted field");
    }
    record.push(field);
    if (text[pos] === ",") {
      pos++;
      continue;
    }
    if (text.startsWith("\r\n", pos)) {
      pos += 2;
      records.push(record);
      record = [];
      continue;
    }
    fail(pos >= text.length ? "the last record does not end with CRLF" : "expected a comma or CRLF");
  }
  return records;
}
