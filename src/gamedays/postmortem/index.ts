/**
 * Postmortems of game-day sessions: the document (summary, impact, merged timeline, metrics,
 * retro, root cause, action items) as JSON or Markdown; action items and retro entries; whether
 * a done action item moved the times of later runs of its scenario.
 *
 * @example
 * const pm = buildPostmortem(await loadPostmortemInput(core, "gd_01j…"));
 * process.stdout.write(renderMarkdown(pm));
 */
export { ActionItems, RetroEntries, toActionItem } from "./action-items.ts";
export { registerActionItemsRoutes } from "./action-items-routes.ts";
export { type ActionEffect, compareActionEffect, formatSeconds, type ScenarioRun } from "./effect.ts";
export { loadPostmortemInput, metricsInSeconds, scenarioRuns } from "./from-store.ts";
export type { PostmortemInput, PostmortemMetrics, PostmortemSession, TimelineItem } from "./input.ts";
export { renderMarkdown } from "./markdown.ts";
export {
  ACTION_STATUSES,
  type ActionItem,
  type ActionItemCreate,
  ActionItemCreateSchema,
  type ActionStatus,
  RETRO_KINDS,
  type RetroEntry,
  type RetroKind,
} from "./model.ts";
export { buildPostmortem, type Postmortem } from "./postmortem.ts";
