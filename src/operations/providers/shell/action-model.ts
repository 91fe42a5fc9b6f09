// A command's effects are unknown to opsdojo: opaque on purpose; the planner suggests what could replace it.
import { opaqueModel, text } from "../../planner/action-models.ts";
import { shellSuggestions } from "../../planner/suggest.ts";

export const shellRunModel = opaqueModel(
  "shell.run",
  (i) => `command ${text(i, "command", "?")}`,
  (i) => shellSuggestions(String(i.command ?? "")),
);
