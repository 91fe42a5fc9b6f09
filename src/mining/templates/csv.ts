/**
 * A CSV field as RFC 4180 writes it: a field with `,`, `"` or a line break (CR or LF) is quoted,
 * its `"` doubled; any other is left as it is. The one quoting rule for every CSV opsdojo writes
 * (templates, event logs, the runs export).
 */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly (string | number)[]): string {
  return `${values.map(csvField).join(",")}\n`;
}

/**
 * Split CSV text into rows of fields (quoted fields may hold commas, quotes and line breaks).
 *
 * @example
 * parseCsv('a,"b,c"\n1,2\n'); // [["a", "b,c"], ["1", "2"]]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
    i++;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
