export { AwsConflictError, AwsRequestError, awsCall, awsErrorName, THROTTLING_ERRORS } from "./errors.ts";
export { Inputs } from "./inputs.ts";
export { cloud, type StateModelSpec, stateModel } from "./model.ts";
export {
  defineStateAction,
  identityNote,
  type StateActionSpec,
  type StateCapture,
  sameFacts,
} from "./state-action.ts";
