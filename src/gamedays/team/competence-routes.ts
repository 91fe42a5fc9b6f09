import { Type } from "typebox";
import type { ApiApp } from "../../api/index.ts";
import { assessCompetence, STAGES } from "./competence.ts";
import { loadDrillHistory } from "./history-store.ts";
import type { Members } from "./members.ts";

const CompetenceCell = Type.Object(
  {
    person: Type.String(),
    area: Type.String(),
    stage: Type.Enum(STAGES),
    level: Type.Integer({ minimum: 1, maximum: 4 }),
    reason: Type.String({ description: "Why this stage, in one sentence." }),
    drills: Type.Integer({ minimum: 0, description: "Drills the person played in the area." }),
  },
  { additionalProperties: false, title: "CompetenceCell" },
);

const CompetenceMatrix = Type.Object(
  {
    // `cells`, not `items`: the matrix is one document (it has no pages), not a collection.
    cells: Type.Array(CompetenceCell, {
      description: "One cell per person and skill area, by person then area.",
    }),
  },
  { additionalProperties: false, title: "CompetenceMatrix" },
);

/**
 * `GET /api/competence`: the competence matrix (people × skill areas, the four stages) as
 * `opsdojo team competence` computes it — drill history plus the areas members declare. Read only;
 * the wall radiator draws it. The per-drill evidence stays in the CLI: a wall needs the stage.
 */
export function registerCompetenceRoutes(app: ApiApp, members: Members): void {
  app.get(
    "/api/competence",
    {
      schema: {
        operationId: "get_competence",
        tags: ["team"],
        summary:
          "The competence matrix: each person's stage (docs/gamedays.md, Competence) in each skill area they played or declared",
        response: { 200: CompetenceMatrix },
      },
    },
    async () => {
      const people = await members.all();
      const history = await loadDrillHistory(app.core.store);
      const cells = assessCompetence(history, { declared: new Map(people.map((m) => [m.name, m.skills])) });
      return {
        cells: cells.map((c) => ({
          person: c.person,
          area: c.area,
          stage: c.stage,
          level: c.level,
          reason: c.reason,
          drills: c.drills.length,
        })),
      };
    },
  );
}
