export { renderScenarioJsonSchema, SCENARIO_SCHEMA_ID, scenarioJsonSchema } from "./json-schema.ts";
export {
  type LoadedScenario,
  loadScenario,
  MAX_SCENARIO_FILE_BYTES,
  parseScenario,
  type ResolvedFault,
  type ResolveOptions,
  resolveScenario,
} from "./load.ts";
export {
  DEFAULT_ROLES,
  DEFAULT_STABLE_FOR,
  type Fault,
  type Hint,
  type Inject,
  type Scenario,
  ScenarioSchema,
  type StopCondition,
} from "./model.ts";
