import {
  type Change,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type RRType,
} from "@aws-sdk/client-route-53";
import { canonicalJson } from "../../planner/canonical.ts";
import { AwsConflictError, awsCall, awsErrorName, type Inputs } from "../aws-state/index.ts";
import { route53Client } from "./client.ts";

/** `www.example.com.`: Route 53 answers with lower case and a final dot, whatever was asked. */
export const fqdn = (name: string) => {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower : `${lower}.`;
};

/** One record set's identity: name, type, and set identifier (weighted, latency … routing). */
export const recordKey = (r: Pick<ResourceRecordSet, "Name" | "Type" | "SetIdentifier">) =>
  `${fqdn(String(r.Name))} ${r.Type}${r.SetIdentifier === undefined ? "" : ` ${r.SetIdentifier}`}`;

/** The record set as AWS described it, or null where there was none; by recordKey. */
export type RecordSets = Record<string, ResourceRecordSet | null>;

/** A record set as facts: values sorted, the name as Route 53 writes it. */
export function recordFacts(r: ResourceRecordSet | null): unknown {
  if (r === null) return null;
  return {
    ...r,
    Name: fqdn(String(r.Name)),
    ResourceRecords: (r.ResourceRecords ?? []).map((v) => String(v.Value)).sort(),
  };
}

/** The record sets the changes name, as they are now (null: absent). */
export async function readRecordSets(
  action: string,
  zone: string,
  changes: readonly Change[],
): Promise<RecordSets> {
  const out: RecordSets = {};
  for (const change of changes) {
    const want = change.ResourceRecordSet as ResourceRecordSet;
    const key = recordKey(want);
    if (key in out) continue;
    out[key] = await findRecordSet(action, zone, want);
  }
  return out;
}

async function findRecordSet(action: string, zone: string, want: ResourceRecordSet) {
  const key = recordKey(want);
  let name: string | undefined = fqdn(String(want.Name));
  let type: RRType | undefined = want.Type;
  let identifier: string | undefined = want.SetIdentifier;
  // The list is sorted by name and type: start at the record, stop once past it.
  for (;;) {
    const start: string | undefined = name;
    const page: ListResourceRecordSetsCommandOutput = await awsCall(
      action,
      `hosted zone ${zone}`,
      "listing the record sets of",
      () =>
        route53Client()
          .send(
            new ListResourceRecordSetsCommand({
              HostedZoneId: zone,
              StartRecordName: start,
              ...(type === undefined ? {} : { StartRecordType: type }),
              ...(identifier === undefined ? {} : { StartRecordIdentifier: identifier }),
            }),
          )
          .catch((error: unknown) => {
            if (awsErrorName(error) === "NoSuchHostedZone")
              throw new AwsConflictError(
                action,
                `hosted zone ${zone}`,
                "does not exist; check hosted_zone_id",
              );
            throw error;
          }),
    );
    const sets = page.ResourceRecordSets ?? [];
    const found = sets.find((r) => recordKey(r) === key);
    if (found !== undefined) return found;
    const past = sets.some((r) => fqdn(String(r.Name)) !== fqdn(String(want.Name)) || r.Type !== want.Type);
    if (!page.IsTruncated || past) return null;
    name = page.NextRecordName;
    type = page.NextRecordType;
    identifier = page.NextRecordIdentifier;
  }
}

/**
 * The change batch that brings `now` back to `before`: a record set made since is deleted (as it
 * is now: Route 53 deletes only an exact match), one changed or deleted is upserted as captured.
 */
export function inverseChanges(before: RecordSets, now: RecordSets): Change[] {
  const changes: Change[] = [];
  for (const [key, was] of Object.entries(before)) {
    const is = now[key] ?? null;
    if (canonicalJson(recordFacts(was)) === canonicalJson(recordFacts(is))) continue;
    if (was === null) {
      if (is !== null) changes.push({ Action: "DELETE", ResourceRecordSet: is });
    } else changes.push({ Action: "UPSERT", ResourceRecordSet: was });
  }
  return changes;
}

/** One `resource_record_set` of a step, to the API's shape. */
export function parseRecordSet(r: Inputs): ResourceRecordSet {
  const ttl = r.optionalInteger("ttl");
  const weight = r.optionalInteger("weight");
  const identifier = r.optionalString("set_identifier");
  const records = r.has("resource_records")
    ? r.list("resource_records", ["value"], (v) => ({ Value: v.string("value") }))
    : undefined;
  let alias: ResourceRecordSet["AliasTarget"];
  if (r.has("alias_target")) {
    const a = r.map("alias_target", ["hosted_zone_id", "dns_name", "evaluate_target_health"]);
    alias = {
      HostedZoneId: a.string("hosted_zone_id"),
      DNSName: a.string("dns_name"),
      EvaluateTargetHealth: a.optionalBoolean("evaluate_target_health") ?? false,
    };
  }
  if ((records === undefined) === (alias === undefined))
    r.fail("resource_records", "give resource_records (with ttl) or alias_target, one of them");
  return {
    Name: r.string("name"),
    Type: r.oneOf("type", [
      "A",
      "AAAA",
      "CAA",
      "CNAME",
      "DS",
      "MX",
      "NAPTR",
      "NS",
      "PTR",
      "SOA",
      "SPF",
      "SRV",
      "TXT",
    ] as const),
    ...(ttl === undefined ? {} : { TTL: ttl }),
    ...(weight === undefined ? {} : { Weight: weight }),
    ...(identifier === undefined ? {} : { SetIdentifier: identifier }),
    ...(records === undefined ? {} : { ResourceRecords: records }),
    ...(alias === undefined ? {} : { AliasTarget: alias }),
  };
}
