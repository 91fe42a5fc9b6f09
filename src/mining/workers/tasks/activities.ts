import type { MinerState } from "../../templates/index.ts";

/**
 * Activity names of a job's events: the text of each template as it is now, so lines mined
 * before a template was generalised carry its final form (ids of merged templates lead on).
 */
export function activityNames(state: MinerState): (templateId: number) => string {
  const texts = new Map<number, string>(state.templates.map((t) => [t.id, t.tokens.join(" ")]));
  return (id) => {
    let current = id;
    for (let i = 0; i < 1000 && !texts.has(current); i++) {
      const next = state.aliases[String(current)];
      if (next === undefined) break;
      current = next;
    }
    return texts.get(current) ?? `template ${id}`;
  };
}

/** The template id a line's id has become (merged templates lead to their survivor). */
export function resolveTemplate(state: MinerState, id: number): number {
  return state.aliases[String(id)] ?? id;
}
