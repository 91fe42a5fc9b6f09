/**
 * The log template miner: lines → header fields + message → event templates with parameters.
 * Online (one pass, a line at a time), memory bounded by the templates, ids stable across runs.
 *
 * @example
 * const { format } = await resolveFormat({ logFormat: "<Date> <Time> <Level> <Component>: <Content>" });
 * const { miner } = await mineFiles(["app.log.gz"], { format });
 * await writeStateFile("templates.json", miner.state(format.source)); // a later run continues from it
 */
export { type Accuracy, accuracy, type LabelledLine, normaliseTemplate } from "./accuracy.ts";
export { csvField, csvRow, parseCsv } from "./csv.ts";
export { InvalidLogFormatError, InvalidStateError, UnknownPresetError } from "./errors.ts";
export { CONTENT_FIELD, compileLogFormat } from "./log-format.ts";
export { maskMessage } from "./mask.ts";
export {
  type FileSummary,
  type FormatOrigin,
  type MineOptions,
  type MineProgress,
  type MineResult,
  mineFiles,
  type ResolvedFormat,
  resolveFormat,
} from "./mine-files.ts";
export { TemplateMiner } from "./miner.ts";
export { type LogFormat, type MinerState, type Template, WILDCARD } from "./model.ts";
export {
  DEFAULT_MINER_OPTIONS,
  MINER_OPTION_CHOICES,
  type MinerOptions,
  minerOptionGrid,
} from "./options.ts";
export { extractParameters } from "./parameters.ts";
export {
  type Detection,
  detectFormat,
  jsonLinesFormat,
  PRESETS,
  type Preset,
  presetFormat,
} from "./presets.ts";
export { readFirstLines, readLineBatches } from "./read-lines.ts";
export { parseState, readStateFile, writeStateFile } from "./state.ts";
