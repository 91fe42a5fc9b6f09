// What the planner knows of Route 53: the named record sets, captured, put back by the inverse batch.
import { text } from "../../planner/action-models.ts";
import { stateModel } from "../aws-state/index.ts";

export const route53ChangeResourceRecordSetsModel = stateModel({
  action: "route53.change_resource_record_sets",
  kind: "record-sets",
  id: (i) => text(i, "hosted_zone_id", "<zone>"),
  change: "modify",
  detail: () => "the named record sets captured; undo sends the inverse change batch",
  label: "the record sets as they were",
});
