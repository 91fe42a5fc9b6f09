/**
 * The competence matrix: people × skill areas, each cell coloured by its stage (docs/gamedays.md,
 * "Competence"), with the stage's number and a short word so colour is never the only signal.
 */
import { getJson } from "../api.ts";
import { text } from "../format.ts";
import type { Panel } from "./panel.ts";

/** `GET /api/competence`, as the wall reads it. */
interface CompetenceMatrix {
  readonly cells: readonly { person: string; area: string; level: number; stage: string }[];
}

/** Short words for the four stages, lowest first: they must fit a cell read from 3 m. */
const WORDS = ["new", "learning", "competent", "fluent"] as const;

// What fits 1920×1080 at the wall's type size; the rest is counted, not squeezed.
const MAX_PEOPLE = 10;
const MAX_AREAS = 7;

export const competencePanel: Panel = {
  name: "competence",
  title: "Competence: people × skill areas",
  async load(ctx) {
    const matrix = await getJson<CompetenceMatrix>("/api/competence", ctx.signal);
    const people = [...new Set(matrix.cells.map((c) => c.person))].sort();
    // The areas most people work in first: they are the ones a wall should show.
    const counts = new Map<string, number>();
    for (const c of matrix.cells) counts.set(c.area, (counts.get(c.area) ?? 0) + 1);
    const areas = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([a]) => a);
    const cells = new Map(matrix.cells.map((c) => [`${c.person}\0${c.area}`, c.level]));
    const shownPeople = people.slice(0, MAX_PEOPLE);
    const shownAreas = areas.slice(0, MAX_AREAS).sort();
    return (root) => {
      if (people.length === 0) {
        root.innerHTML =
          '<p class="nothing">No one has played a drill or declared a skill area yet: opsdojo team add.</p>';
        return;
      }
      const head = shownAreas.map((a) => `<th scope="col">${text(a)}</th>`).join("");
      const rows = shownPeople
        .map((p) => {
          const tds = shownAreas
            .map((a) => {
              const level = cells.get(`${p}\0${a}`);
              return level === undefined
                ? '<td class="cell none">·</td>'
                : `<td class="cell stage-${level}">${level} ${WORDS[level - 1] ?? ""}</td>`;
            })
            .join("");
          return `<tr><th scope="row">${text(p)}</th>${tds}</tr>`;
        })
        .join("");
      const hidden = [
        people.length > MAX_PEOPLE ? `${people.length - MAX_PEOPLE} more people` : "",
        areas.length > MAX_AREAS ? `${areas.length - MAX_AREAS} more areas` : "",
      ].filter(Boolean);
      root.innerHTML = `<table class="matrix"><thead><tr><th></th>${head}</tr></thead><tbody>${rows}</tbody></table>
<p class="key">${WORDS.map((w, i) => `<span class="cell stage-${i + 1}">${i + 1} ${w}</span>`).join(" ")}${
        hidden.length > 0 ? ` <span class="more">not shown: ${text(hidden.join(", "))}</span>` : ""
      }</p>`;
    };
  },
};
