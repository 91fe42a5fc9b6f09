import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../../test/support/csv-reader.ts";
import { csvField } from "../../mining/index.ts";
import { CSV_COLUMNS, csvWriter } from "./csv.ts";
import type { CaseTrace } from "./model.ts";

describe("CSV writer", () => {
  it("quotes only fields with a comma, a quote, CR or LF, doubling quotes (RFC 4180)", () => {
    expect(csvField("plain value")).toBe("plain value");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField("")).toBe("");
  });

  it("round-trips any field through a strict RFC 4180 reader", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 6 }), (fields) => {
        expect(parseCsv(`${fields.map(csvField).join(",")}\r\n`)).toEqual([fields]);
      }),
      { numRuns: 500 },
    );
  });

  it("writes a header and one CRLF-terminated row per event", () => {
    const trace: CaseTrace = {
      caseId: 'run_1/we,ird "target"\nname',
      runId: "run_1",
      target: 'we,ird "target"\nname',
      operation: "roll",
      status: "rolled_back",
      events: [
        {
          activity: "write",
          lifecycle: "ate_abort",
          timestamp: "2026-05-01T10:00:00.000Z",
          action: "file.write",
          journalEvent: "step.failed",
          seq: 3,
          message: 'disk full, "really"\r\nsecond line',
        },
      ],
    };
    const text = csvWriter.header() + csvWriter.trace(trace) + csvWriter.footer();
    expect(parseCsv(text)).toEqual([
      [...CSV_COLUMNS],
      [
        trace.caseId,
        "write",
        "ate_abort",
        "2026-05-01T10:00:00.000Z",
        "run_1",
        trace.target,
        "roll",
        "rolled_back",
        "file.write",
        "step.failed",
        "3",
        'disk full, "really"\r\nsecond line',
      ],
    ]);
  });
});
