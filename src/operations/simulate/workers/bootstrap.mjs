// Running from the TypeScript sources (tsx, vitest): a worker thread does not inherit the loader
// of the thread that started it, so register tsx here before loading the real entry.
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.entry);
