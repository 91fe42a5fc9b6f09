export {
  type FileIssue,
  formatIssue,
  InterpolationError,
  listIssues,
  OperationFileError,
  OperationParamsError,
} from "./errors.ts";
export { type InterpolationScope, interpolate } from "./interpolate.ts";
export { type LoadOptions, loadOperation, MAX_OPERATION_FILE_BYTES, parseOperation } from "./load.ts";
export { resolveParams } from "./params.ts";
export { DigestCache, parseOperationCached, sourceDigest } from "./parse-cache.ts";
export { type Piece, parseTemplate } from "./template.ts";
