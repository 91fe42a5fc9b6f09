/** Hash routes (`#/runs/ID`, …) to views; anything else is the service directory. */
import { modelsView } from "./models.ts";
import { runView } from "./run.ts";
import { runsView } from "./runs.ts";
import { serviceView } from "./service.ts";
import { servicesView } from "./services.ts";
import { sessionView } from "./session.ts";
import { sessionsView } from "./sessions.ts";
import { simulationView } from "./simulation.ts";
import { surveyView } from "./survey.ts";
import type { RouteParams, View } from "./view.ts";
import { wallView } from "./wall/index.ts";

/** The route's name marks the matching link in the header as the current page. */
export interface Route {
  readonly name: string;
  readonly draw: View;
  readonly params: RouteParams;
  /** Works without a token (the survey page: respondents have only their invitation code). */
  readonly public?: boolean;
}

const ROUTES: readonly { pattern: RegExp; name: string; draw: View; public?: boolean }[] = [
  { pattern: /^#\/survey\/?$/, name: "survey", draw: surveyView, public: true },
  { pattern: /^#\/services\/([^/]+)$/, name: "services", draw: serviceView },
  { pattern: /^#\/runs\/([^/]+)$/, name: "runs", draw: runView },
  { pattern: /^#\/runs\/?$/, name: "runs", draw: runsView },
  { pattern: /^#\/sessions\/([^/]+)$/, name: "sessions", draw: sessionView },
  { pattern: /^#\/sessions\/?$/, name: "sessions", draw: sessionsView },
  { pattern: /^#\/simulations\/([^/]+)$/, name: "runs", draw: simulationView },
  { pattern: /^#\/models(?:\/([^/]+))?\/?$/, name: "models", draw: modelsView },
  { pattern: /^#\/wall\/?$/, name: "wall", draw: wallView },
];

/** `#/wall?every=20` → the path `#/wall` and its options; the options go to the view as `query`. */
export function route(hash: string): Route {
  const at = hash.indexOf("?");
  const path = at < 0 ? hash : hash.slice(0, at);
  const query = new URLSearchParams(at < 0 ? "" : hash.slice(at + 1));
  for (const r of ROUTES) {
    const match = r.pattern.exec(path);
    if (match)
      return {
        name: r.name,
        draw: r.draw,
        ...(r.public ? { public: true } : {}),
        params: { id: match[1] ? decodeURIComponent(match[1]) : undefined, query },
      };
  }
  return { name: "services", draw: servicesView, params: { id: undefined, query } };
}
