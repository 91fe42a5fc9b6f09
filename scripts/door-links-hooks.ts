// Node module hooks (module.register) that link imports past units' doors when the CLI runs
// from its sources, as the bundle does (door-links.ts); registered by bin/opsdojo.js after tsx.
import { fileURLToPath } from "node:url";
import { nodeDoorLinks } from "./door-links.ts";

const hooks = nodeDoorLinks(fileURLToPath(new URL("..", import.meta.url)));
export const resolve = hooks.resolve;
export const load = hooks.load;
