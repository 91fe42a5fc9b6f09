import { describe, expect, it } from "vitest";
import { parseOperation } from "../loader/index.ts";
import { MAX_REASON_CHARS, Redactor } from "./redactor.ts";

const op = parseOperation(
  `opsdojo: operation/v1
name: secretive
params:
  token: { type: string, secret: true }
  region: { type: string }
steps:
  - { name: a, uses: noop }
`,
  "secretive.yaml",
);

describe("Redactor", () => {
  it("replaces a secret param's value anywhere, deeply, and puts it back on restore", () => {
    const r = Redactor.forRun(op, { token: "s3cr3t-value", region: "eu" }, {});
    const stored = r.value({
      params: { token: "s3cr3t-value", region: "eu" },
      input: { headers: { Authorization: "Bearer s3cr3t-value" }, env: { T: "s3cr3t-value" } },
      list: ["x s3cr3t-value y"],
    });
    expect(JSON.stringify(stored)).not.toContain("s3cr3t-value");
    expect(stored.params).toEqual({ token: "«secret:token»", region: "eu" });
    expect(stored.input.headers.Authorization).toBe("Bearer «secret:token»");
    expect(r.restore(stored).input.env.T).toBe("s3cr3t-value");
    // A redactor without the secret leaves the stand-in as it is.
    expect(new Redactor({}, {}).restore(stored).input.env.T).toBe("«secret:token»");
  });

  it("replaces a longer secret whole when another secret is part of it", () => {
    const r = new Redactor({ short: "abc", long: "xxabcxx" }, {});
    expect(r.text("xxabcxx and abc")).toBe("«secret:long» and «secret:short»");
  });

  it("strips this process's NAME=value pairs everywhere, and from reasons every NAME= and other values", () => {
    const env = { DB_PASSWORD: "hunter2-long-password", HOME: "/home/ops", LEVEL: "1" };
    const r = new Redactor({}, env);
    expect(r.text("DB_PASSWORD=hunter2-long-password\nHOME=/home/ops")).toBe("DB_PASSWORD=«env»\nHOME=«env»");
    // A path under HOME stays readable; a bare value of a non-plain variable does not.
    expect(r.reason("could not write /home/ops/app.conf")).toBe("could not write /home/ops/app.conf");
    expect(r.reason("login failed for hunter2-long-password")).toBe("login failed for «env:DB_PASSWORD»");
    expect(r.reason("LEVEL=2 DB_PASSWORD=changed")).toBe("LEVEL=«env» DB_PASSWORD=«env»");
    // Reasons found by field name inside stored values.
    const stored = r.value({ failure: { reason: "x DB_PASSWORD=other" }, note: "DB_PASSWORD=other" });
    expect(stored).toEqual({ failure: { reason: "x DB_PASSWORD=«env»" }, note: "DB_PASSWORD=other" });
  });

  it(`cuts reasons to ${MAX_REASON_CHARS} characters and says how much was cut`, () => {
    const r = new Redactor({}, {});
    const reason = r.reason("e".repeat(MAX_REASON_CHARS + 40));
    expect(reason).toBe(`${"e".repeat(MAX_REASON_CHARS)}… (40 more characters)`);
    expect(r.reason("short")).toBe("short");
  });

  it("leaves the AWS region readable in reasons: zones and ARNs name it", () => {
    const r = new Redactor({}, { AWS_REGION: "us-east-1", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI-long" });
    expect(r.reason("i-1 is in us-east-1c; key wJalrXUtnFEMI-long")).toBe(
      "i-1 is in us-east-1c; key «env:AWS_SECRET_ACCESS_KEY»",
    );
  });
});
