// The action list is the registry's; the schema's `uses` enum is derived from it.
export { type ActionName, isKnownAction, KNOWN_ACTIONS } from "../actions/index.ts";
export {
  CHECK_KINDS,
  type Check,
  type CheckKind,
  CheckSchema,
  type CommandCheck,
  type FileCheck,
  type HttpCheck,
  type TcpCheck,
} from "./checks.ts";
export { DURATION_PATTERN, parseDuration } from "./durations.ts";
export { OPERATION_SCHEMA_ID, operationJsonSchema, renderOperationJsonSchema } from "./json-schema.ts";
export { NODE_LOSS_POLICIES, type NodeLossPolicy, nodeLossPolicyOf } from "./node-loss.ts";
export {
  IDENTIFIER_PATTERN,
  type Operation,
  OperationSchema,
  operationSchemasOf,
  type Param,
  type ParamValue,
  STEP_NAME_PATTERN,
  type Step,
  type Strategy,
  type Target,
  type Undo,
} from "./operation.ts";
export { targetsOf } from "./targets.ts";
