/**
 * `#/survey`: answering a team survey with an invitation code, made for a phone. It needs no
 * token — only the code, which the person types here: it never goes into a URL (so no history
 * or log holds it), only into the bodies of the two public POSTs.
 */
import { problem } from "./api.ts";
import { element } from "./dom.ts";
import { text } from "./format.ts";
import type { View } from "./view.ts";

interface Questionnaire {
  round: string;
  survey: {
    title: string;
    description?: string;
    scale: { low: string; high: string };
    dimensions: { id: string; title: string; items: { id: string; text: string }[] }[];
  };
}

async function post<T>(path: string, body: unknown, signal: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await problem(response);
  return (await response.json()) as T;
}

const SCALE = [1, 2, 3, 4, 5, 6];

export const surveyView: View = (root, _params, ctx) => {
  root.innerHTML = `<section class="survey"><h2>Team survey</h2>
<form id="code-form"><label for="code">Your invitation code</label>
<input id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX-XXXX" required maxlength="40">
<button type="submit">Open the survey</button></form>
<p class="note">Your answers are stored without your code, your name or the time, and shown only for groups of three or more.</p>
<div id="questions"></div></section>`;
  const codeForm = element<HTMLFormElement>(root, "#code-form");
  const questions = element(root, "#questions");
  codeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = element<HTMLInputElement>(root, "#code").value.trim();
    void (async () => {
      try {
        const q = await post<Questionnaire>("/api/survey-invitations/check", { code }, ctx.signal);
        ctx.report(null);
        codeForm.hidden = true;
        draw(questions, q);
        element<HTMLFormElement>(questions, "#answers").addEventListener("submit", (e) => {
          e.preventDefault();
          const answers: Record<string, number> = {};
          for (const input of questions.querySelectorAll<HTMLInputElement>("input[type=radio]:checked"))
            answers[input.name] = Number(input.value);
          if (Object.keys(answers).length === 0) {
            ctx.report(new Error("answer at least one statement"));
            return;
          }
          void post<{ round: string }>("/api/survey-responses", { code, answers }, ctx.signal).then(
            (done) => {
              ctx.report(null);
              questions.innerHTML = `<p class="thanks" id="thanks">Thank you: your answers to round ${text(done.round)} are recorded, with nothing that leads back to you.</p>`;
            },
            (error: unknown) => ctx.report(error),
          );
        });
      } catch (error) {
        ctx.report(error);
      }
    })();
  });
};

function draw(root: HTMLElement, q: Questionnaire): void {
  const items = q.survey.dimensions.flatMap((d) =>
    d.items.map(
      (item) =>
        `<fieldset class="item" data-item="${text(item.id)}"><legend>${text(item.text)}</legend><div class="scale">${SCALE.map(
          (n) => `<label><input type="radio" name="${text(item.id)}" value="${n}"><span>${n}</span></label>`,
        ).join("")}</div></fieldset>`,
    ),
  );
  root.innerHTML = `<h3>${text(q.survey.title)} <small>round ${text(q.round)}</small></h3>
${q.survey.description ? `<p>${text(q.survey.description)}</p>` : ""}
<p class="note">1 = ${text(q.survey.scale.low)}, 6 = ${text(q.survey.scale.high)}. Skip what you cannot judge.</p>
<form id="answers">${items.join("")}<button type="submit">Send my answers</button></form>`;
}
