/**
 * The newest survey as a radar (the team's mean answer per dimension, 1–6) with the evidence
 * opsdojo computed for each dimension beside it: the gap between the two is the finding.
 */
import { text } from "../format.ts";
import { surveyResults } from "./learning.ts";
import type { Panel } from "./panel.ts";
import { radarSvg } from "./radar.ts";

const SCALE_MAX = 6;
/** Evidence lines per dimension that fit beside the radar. */
const EVIDENCE_LINES = 2;

export const surveyPanel: Panel = {
  name: "survey",
  title: "How we see ourselves, and what we do",
  async load(ctx) {
    const results = await surveyResults(ctx.signal);
    return (root) => {
      if (results.state === "none") {
        root.innerHTML =
          '<p class="nothing">No survey results yet: results show once a round has 3 or more answers.</p>';
        return;
      }
      const { survey, respondents, dimensions } = results.value;
      const rows = dimensions
        .map((d, i) => {
          const score = d.score === null ? "fewer than 3 answers" : `${d.score.toFixed(1)} / ${SCALE_MAX}`;
          const evidence = d.evidence
            .slice(0, EVIDENCE_LINES)
            .map((e) => `<span class="evidence">${text(e.label)}: <b>${text(e.value)}</b></span>`)
            .join("");
          return `<li><span class="no">${i + 1}</span><span class="dimension">${text(d.title)}</span><span class="score">${text(
            score,
          )}</span>${evidence}</li>`;
        })
        .join("");
      root.innerHTML = `<div class="survey"><div class="radar-box">${radarSvg(
        dimensions.map((d) => ({ value: d.score })),
        SCALE_MAX,
        SCALE_MAX,
      )}<p class="meta">${text(survey)} · ${text(respondents)} answers</p></div><ol class="dimensions">${rows}</ol></div>`;
    };
  },
};
