export { type Clock, isoTimestamp, ManualClock, systemClock } from "./clock.ts";
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RATE_LIMIT,
  opsdojoHome,
  parseRateLimit,
  type RateLimitConfig,
} from "./config.ts";
export { ConfigError, type ErrorKind, InvalidInputError, OpsdojoError } from "./errors.ts";
export { FileUnreadableError } from "./file-errors.ts";
export { type RootedPath, resolveInsideRoot } from "./files-root.ts";
export { newId, randomSecret } from "./ids.ts";
export { messageOf } from "./message-of.ts";
export { plural } from "./plural.ts";
export { quote } from "./quote.ts";
export { normalFrom, type Random, seededRandom, seedWords } from "./random.ts";
