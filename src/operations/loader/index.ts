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
// Other file formats built on this one (scenario/v1) place their errors the same way.
export { displayPath, Locator, type Position, type Segment } from "./positions.ts";
export { type PlacedProblem, placeSchemaErrors, show as showValue } from "./schema-errors.ts";
export { type Piece, parseTemplate } from "./template.ts";
export { readYamlMapping, type YamlMapping, type YamlMappingOptions } from "./yaml-mapping.ts";
