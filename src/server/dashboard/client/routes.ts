/** `routes.js`: hash routes (`#/runs/ID`, …) to views; anything else is the service directory. */
export const ROUTES_JS = String.raw`import { modelsView } from "./models.js";
import { runView } from "./run.js";
import { runsView } from "./runs.js";
import { servicesView } from "./services.js";
import { sessionView } from "./session.js";
import { sessionsView } from "./sessions.js";

const ROUTES = [
  { pattern: /^#\/runs\/([^/]+)$/, name: "runs", draw: runView },
  { pattern: /^#\/runs\/?$/, name: "runs", draw: runsView },
  { pattern: /^#\/sessions\/([^/]+)$/, name: "sessions", draw: sessionView },
  { pattern: /^#\/sessions\/?$/, name: "sessions", draw: sessionsView },
  { pattern: /^#\/models(?:\/([^/]+))?\/?$/, name: "models", draw: modelsView },
];

export function route(hash) {
  for (const r of ROUTES) {
    const match = r.pattern.exec(hash);
    if (match) return { name: r.name, draw: r.draw, params: { id: match[1] ? decodeURIComponent(match[1]) : undefined } };
  }
  return { name: "services", draw: servicesView, params: {} };
}
`;
