export { route53ChangeResourceRecordSetsModel } from "./action-model.ts";
export { route53ChangeResourceRecordSets } from "./change-record-sets.ts";
export { route53Client } from "./client.ts";
export { fqdn, inverseChanges, recordKey } from "./record-sets.ts";
