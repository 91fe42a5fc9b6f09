/**
 * Mining on the API core: jobs that mine uploaded or streamed log lines into templates and an
 * event log, stored process models (JSON, DOT, SVG, PNML), and deviations of a job's cases from
 * a model — paginated, or live over SSE.
 *
 * @example
 * const handle = miningUnit.register(app, { mining: { workers: 2 } });
 * // …or the parts: registerMiningRoutes(app, createMiningUnit(app.core));
 */
export { DeviationChecks, type DeviationResource } from "./checks.ts";
export { DeviationBus } from "./deviation-bus.ts";
export { JobLocks } from "./job-locks.ts";
export { type JobResource, MiningJobs, type TemplateResource } from "./jobs.ts";
export { MiningModels, type ModelResource } from "./models.ts";
export { type MiningUnit, registerMiningRoutes } from "./routes.ts";
export { createMiningUnit, type MiningUnitOptions, miningUnit } from "./unit.ts";
