#!/usr/bin/env node
// The published command runs the TypeScript sources through tsx, so `npm install` is all it takes:
// there is no build step to forget and no stale dist/ to debug.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
