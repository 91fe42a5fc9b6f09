export { etcPrecision } from "./precision.ts";
export { type LogReplay, replayLog, replayTrace, type TraceReplay } from "./token-replay.ts";
