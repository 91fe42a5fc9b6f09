export { type CsvColumns, readCsv } from "./csv-reader.ts";
export { csvChunks, writeCsv } from "./csv-writer.ts";
export { EventLogFormatError, UnknownLogFormatError } from "./errors.ts";
export { openInput } from "./io.ts";
export {
  ATTRIBUTE_TYPES,
  type Attributes,
  type AttributeType,
  type AttributeTypes,
  type AttributeValue,
  type Case,
  countEvents,
  type EventLog,
  emptyAttributeTypes,
  type LogEvent,
  logFromTraces,
  XES_KEYS,
} from "./model.ts";
export { type RawLogOptions, type RawLogResult, readRawLog } from "./raw-log.ts";
export { type LogFormat, logFormatOf, readEventLog, writeEventLog } from "./read.ts";
export { formatTimestamp, parseTimestamp } from "./timestamps.ts";
export { type FilteredLog, filterVariants, parseVariantFilter, type VariantFilter } from "./variants.ts";
export { readXes, readXesStream, type XesHeader } from "./xes-reader.ts";
export {
  writeXes,
  XES_END,
  type XesClassifier,
  type XesGlobal,
  type XesPrologue,
  xesChunks,
  xesPrologue,
  xesTrace,
} from "./xes-writer.ts";
export { escapeXml } from "./xml-escape.ts";
export { decodeEntities, XmlSyntaxError, type XmlToken, XmlTokenizer } from "./xml-tokenizer.ts";
