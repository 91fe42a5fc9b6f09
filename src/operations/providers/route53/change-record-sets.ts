import {
  type Change,
  ChangeResourceRecordSetsCommand,
  type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { plural } from "../../../core/index.ts";
import { canonicalJson } from "../../planner/canonical.ts";
import { awsCall, defineStateAction, type Inputs } from "../aws-state/index.ts";
import { route53Client } from "./client.ts";
import {
  inverseChanges,
  parseRecordSet,
  type RecordSets,
  readRecordSets,
  recordFacts,
  recordKey,
} from "./record-sets.ts";

const ACTION = "route53.change_resource_record_sets";

interface Parsed {
  readonly zone: string;
  readonly comment?: string;
  readonly changes: Change[];
}

function parse(i: Inputs): Parsed {
  const batch = i.map("change_batch", ["comment", "changes"]);
  const comment = batch.optionalString("comment");
  return {
    zone: i.string("hosted_zone_id"),
    ...(comment === undefined ? {} : { comment }),
    changes: batch.list("changes", ["action", "resource_record_set"], (c) => ({
      Action: c.oneOf("action", ["CREATE", "UPSERT", "DELETE"] as const),
      ResourceRecordSet: parseRecordSet(
        c.map("resource_record_set", [
          "name",
          "type",
          "ttl",
          "resource_records",
          "alias_target",
          "set_identifier",
          "weight",
        ]),
      ),
    })),
  };
}

async function send(zone: string, changes: Change[], comment: string) {
  if (changes.length === 0) return;
  await awsCall(ACTION, `hosted zone ${zone}`, "changing the record sets of", () =>
    route53Client().send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Comment: comment, Changes: changes },
      }),
    ),
  );
}

function inEffect(change: Change, now: RecordSets): boolean {
  const set = change.ResourceRecordSet as ResourceRecordSet;
  const is = now[recordKey(set)] ?? null;
  if (change.Action === "DELETE") return is === null;
  return is !== null && canonicalJson(recordFacts(is)) === canonicalJson(recordFacts(set));
}

const words = (changes: readonly Change[]) =>
  changes
    .map((c) => `${c.Action} ${recordKey(c.ResourceRecordSet as { Name: string; Type: "A" })}`)
    .join(", ");

/**
 * `route53.change_resource_record_sets {hosted_zone_id, change_batch: {comment?, changes:
 * [{action: CREATE | UPSERT | DELETE, resource_record_set: {name, type, ttl?, resource_records?:
 * [{value}], alias_target?, set_identifier?, weight?}}]}}` — change DNS records, all at once as
 * Route 53 does. Capture records every named record set as it was (or that there was none);
 * undo sends the inverse batch: a created record is deleted, a changed or deleted one upserted
 * back as captured.
 *
 * @example
 * { uses: route53.change_resource_record_sets, with: { hosted_zone_id: Z123, change_batch: { changes: [{ action: UPSERT, resource_record_set: { name: www.example.com, type: CNAME, ttl: 60, resource_records: [{ value: green.example.com }] } }] } } }
 */
export const route53ChangeResourceRecordSets = defineStateAction<Parsed, RecordSets>({
  action: ACTION,
  fields: ["hosted_zone_id", "change_batch"],
  parse,
  resource: (p) => `hosted zone ${p.zone}`,
  read: (p) => readRecordSets(ACTION, p.zone, p.changes),
  preview: (p, before) => ({
    change: "modify",
    detail: `${words(p.changes)} (${plural(Object.values(before).filter((r) => r !== null).length, "record set")} there now, captured); undo sends the inverse batch`,
  }),
  async act(p, _before, now) {
    // Again after a crash, Route 53 would refuse the whole batch (a CREATE of what exists, a
    // DELETE of what is gone): only the changes not yet in effect are sent.
    // A DELETE names the record set; it is sent as Route 53 describes it, which is the exact
    // match Route 53 insists on (case of the name, order of the values).
    const pending = p.changes
      .filter((c) => !inEffect(c, now))
      .map((c) =>
        c.Action === "DELETE"
          ? {
              ...c,
              ResourceRecordSet:
                now[recordKey(c.ResourceRecordSet as ResourceRecordSet)] ?? c.ResourceRecordSet,
            }
          : c,
      );
    await send(p.zone, pending, p.comment ?? "opsdojo");
    return { hosted_zone_id: p.zone, changes: pending.length };
  },
  async restore(p, before, now) {
    const inverse = inverseChanges(before, now);
    await send(p.zone, inverse, "opsdojo undo");
    return `inverse batch: ${words(inverse)}`;
  },
});
