import { OpsdojoError } from "../../core/index.ts";

export class ScenarioNotFoundError extends OpsdojoError {
  constructor(ref: string) {
    super(
      "gameday_scenario_not_found",
      `scenario ${ref} does not exist; register it with POST /api/scenarios`,
      {
        kind: "not_found",
        details: { scenario: ref },
      },
    );
  }
}
