import { describe, expect, it } from "vitest";
import { ProfileError } from "./errors.ts";
import { namesOf, parseProfile } from "./profile.ts";

function refusal(text: string): ProfileError {
  try {
    parseProfile(text, "p.yaml");
  } catch (error) {
    if (error instanceof ProfileError) return error;
    throw error;
  }
  throw new Error("the profile was accepted");
}

describe("profiles", () => {
  it("reads YAML and JSON and fills the names the suite uses", () => {
    const yaml = parseProfile(
      "allow_writes: true\nheaders:\n  api_version: X-Api-Version\npagination: { items: data }\n",
      "p.yaml",
    );
    expect(yaml.allow_writes).toBe(true);
    expect(namesOf(yaml)).toMatchObject({
      apiVersion: "x-api-version",
      items: "data",
      limit: "limit",
      nextCursor: "next_cursor",
    });
    expect(parseProfile('{"second_base_url": "http://127.0.0.1:2"}', "p.json").second_base_url).toBe(
      "http://127.0.0.1:2",
    );
    expect(parseProfile("", "empty.yaml")).toEqual({});
  });

  it("reports every problem at once, each with its file and line", () => {
    const error = refusal(
      "allow_writes: yes please\nrate_limit:\n  max_request: 10\nfuzz:\n  requests: -1\n",
    );
    expect(error.kind).toBe("invalid");
    expect(error.message).toContain("p.yaml:1: /allow_writes must be boolean");
    expect(error.message).toContain("p.yaml:3: /rate_limit/max_request is not a profile setting");
    expect(error.message).toContain("p.yaml:5: /fuzz/requests must be >= 0");
    expect(error.details).toMatchObject({ file: "p.yaml", line: 1 });
  });

  it("refuses skip entries that name no rule, and broken YAML with its line", () => {
    expect(refusal("skip:\n  CB-31: no such rule\n").message).toContain(
      "p.yaml:2: /skip/CB-31 is not a rule id",
    );
    expect(refusal("skip:\n  CB-22: ''\n").message).toContain("/skip/CB-22");
    const broken = refusal("allow_writes: true\nheaders: [unclosed\n");
    expect(broken.message).toMatch(/^p\.yaml:\d+: not valid YAML or JSON/);
  });
});
