export {
  iamAttachRolePolicyModel,
  iamDeleteRolePolicyModel,
  iamDetachRolePolicyModel,
  iamPutRolePolicyModel,
} from "./action-model.ts";
export {
  iamAttachRolePolicy,
  iamDeleteRolePolicy,
  iamDetachRolePolicy,
  iamPutRolePolicy,
} from "./actions.ts";
export { iamClient } from "./client.ts";
