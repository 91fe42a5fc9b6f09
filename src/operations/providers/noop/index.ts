export { noop, parseSleep } from "./noop.ts";
