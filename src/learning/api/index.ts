export { RespondLimiter } from "./respond-limit.ts";
export { learningUnit } from "./unit.ts";
