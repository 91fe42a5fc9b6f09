// A request's effects are unknown to opsdojo: opaque on purpose; the planner suggests a compensation.
import { opaqueModel, text } from "../../planner/action-models.ts";
import { httpSuggestions } from "../../planner/suggest.ts";

export const httpRequestModel = opaqueModel(
  "http.request",
  (i) => `${text(i, "method", "GET")} ${text(i, "url", "?")}`,
  (i) => httpSuggestions(String(i.method ?? "GET"), String(i.url ?? "<url>")),
);
