/**
 * The wall's options, read from the hash's query (`#/wall?every=20&theme=light&panel=runs`).
 * A value that makes no sense falls back to the default and says so on the screen: a wall has no
 * one in front of it to read a console.
 */
export const PANEL_NAMES = [
  "trends",
  "competence",
  "bus-factor",
  "survey",
  "action-items",
  "gamedays",
  "runs",
  "deviations",
] as const;
export type PanelName = (typeof PANEL_NAMES)[number];

export const THEMES = ["auto", "dark", "light"] as const;
export type Theme = (typeof THEMES)[number];

export const DEFAULT_EVERY_S = 20;
const MIN_EVERY_S = 1;
const MAX_EVERY_S = 3600;

export interface WallOptions {
  /** Seconds each panel stays on screen. */
  readonly every: number;
  readonly theme: Theme;
  /** Only these panels, in this order (`panels=runs,trends`); `panel=runs` pins one. */
  readonly panels: readonly PanelName[];
  /** The process model deviations are checked against (`model=mdl_…`); default the newest. */
  readonly model: string | undefined;
  /** What was wrong with the options, in words for the screen. */
  readonly problems: readonly string[];
}

const isPanel = (name: string): name is PanelName => (PANEL_NAMES as readonly string[]).includes(name);
const isTheme = (name: string): name is Theme => (THEMES as readonly string[]).includes(name);

export function wallOptions(query: URLSearchParams): WallOptions {
  const problems: string[] = [];
  let every = DEFAULT_EVERY_S;
  const givenEvery = query.get("every");
  if (givenEvery !== null) {
    const n = Number(givenEvery);
    if (Number.isInteger(n) && n >= MIN_EVERY_S && n <= MAX_EVERY_S) every = n;
    else
      problems.push(
        `every=${givenEvery}: expected whole seconds from ${MIN_EVERY_S} to ${MAX_EVERY_S}; showing each panel ${DEFAULT_EVERY_S} s`,
      );
  }
  let theme: Theme = "auto";
  const givenTheme = query.get("theme");
  if (givenTheme !== null) {
    if (isTheme(givenTheme)) theme = givenTheme;
    else problems.push(`theme=${givenTheme}: expected ${THEMES.join(", ")}; following the system`);
  }
  const asked = [query.get("panel"), query.get("panels")]
    .filter((v): v is string => v !== null)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  const unknown = asked.filter((p) => !isPanel(p));
  if (unknown.length > 0)
    problems.push(`no panel named ${unknown.join(", ")}; the panels are ${PANEL_NAMES.join(", ")}`);
  const panels = asked.filter(isPanel);
  const model = query.get("model") ?? undefined;
  return { every, theme, panels: panels.length > 0 ? panels : PANEL_NAMES, model, problems };
}
