import { GetHostedZoneCommand } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { actThenUndo, makeNetWorld, type NetWorld, sdk } from "../aws-state/net-test-support.ts";
import { testContext } from "../file/test-support.ts";
import { route53ChangeResourceRecordSets } from "./change-record-sets.ts";

useMoto();
afterAll(removeTempDirs);

let world: NetWorld;
let domain: string;
beforeAll(async () => {
  world = await makeNetWorld();
  domain = String((await sdk.route53().send(new GetHostedZoneCommand({ Id: world.zone }))).HostedZone?.Name);
}, 120_000);

const a = (name: string, ...values: string[]) => ({
  name,
  type: "A",
  ttl: 60,
  resource_records: values.map((value) => ({ value })),
});

describe("route53.change_resource_record_sets", () => {
  it("upserts an existing record and creates another in one batch; undo sends the inverse batch", async () => {
    const { undone } = await actThenUndo(world, route53ChangeResourceRecordSets, {
      hosted_zone_id: world.zone,
      change_batch: {
        comment: "blue to green",
        changes: [
          { action: "UPSERT", resource_record_set: a(`www.${domain}`, "10.0.1.1") },
          { action: "CREATE", resource_record_set: a(`api.${domain}`, "10.0.1.2") },
        ],
      },
    });
    expect((undone as { detail?: string }).detail).toMatch(
      /DELETE api\..* A, UPSERT www\..* A|UPSERT www\..* A, DELETE api\./,
    );
  });

  it("deletes a record (its values as they are); undo creates it again from the capture", async () => {
    await actThenUndo(world, route53ChangeResourceRecordSets, {
      hosted_zone_id: world.zone,
      change_batch: {
        changes: [{ action: "DELETE", resource_record_set: a(`WWW.${domain}`, "10.0.0.2", "10.0.0.1") }],
      },
    });
  });

  it("names the field of a bad change, and a zone that is not there", async () => {
    expect(() =>
      route53ChangeResourceRecordSets.validate({
        hosted_zone_id: world.zone,
        change_batch: { changes: [{ action: "REMOVE", resource_record_set: a("x.example.com", "1.1.1.1") }] },
      }),
    ).toThrow(/change_batch\.changes\.0\.action: must be one of CREATE, UPSERT, DELETE/);
    expect(() =>
      route53ChangeResourceRecordSets.validate({
        hosted_zone_id: world.zone,
        change_batch: { changes: [{ action: "CREATE", resource_record_set: { name: "x", type: "A" } }] },
      }),
    ).toThrow(/resource_record_set\.resource_records: give resource_records/);
    await expect(
      route53ChangeResourceRecordSets.capture(
        {
          hosted_zone_id: "ZNOTHERE0000",
          change_batch: {
            changes: [{ action: "CREATE", resource_record_set: a("x.example.com", "1.1.1.1") }],
          },
        },
        await testContext(),
      ),
    ).rejects.toMatchObject({
      code: "aws_conflict",
      message: expect.stringMatching(/does not exist; check hosted_zone_id/),
    });
  });
});
