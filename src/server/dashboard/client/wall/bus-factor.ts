/**
 * Bus-factor warnings: services and skill areas only one person (or nobody) covers, least covered
 * first, and the people whose absence would leave something uncovered (the "Brent report").
 */
import { text } from "../format.ts";
import { busFactors } from "./learning.ts";
import type { Panel } from "./panel.ts";

const ROWS = 8;
const BRENTS = 4;

export const busFactorPanel: Panel = {
  name: "bus-factor",
  title: "Bus factor: what rests on one person",
  async load(ctx) {
    const found = await busFactors(ctx.signal);
    return (root) => {
      if (found.state === "none") {
        root.innerHTML = '<p class="nothing">No bus factors yet.</p>';
        return;
      }
      const { coverage, brent } = found.value;
      const risky = coverage.filter((c) => c.busFactor <= 1);
      const rows = (risky.length > 0 ? risky : coverage)
        .slice(0, ROWS)
        .map(
          (c) =>
            `<tr><td>${text(c.name)} <span class="why">${c.kind}</span></td><td><span class="status ${
              c.busFactor === 0 ? "bad" : c.busFactor === 1 ? "warn" : "ok"
            }">${c.busFactor === 0 ? "nobody" : `bus factor ${c.busFactor}`}</span></td><td>${text(c.people.join(", ") || "—")}</td></tr>`,
        )
        .join("");
      const people = brent
        .slice(0, BRENTS)
        .map(
          (b) =>
            `<li><b>${text(b.person)}</b>: without them, ${text(b.uncovers.join(", "))} would be uncovered</li>`,
        )
        .join("");
      const more = Math.max(0, risky.length - ROWS);
      root.innerHTML = `<table class="list"><thead><tr><th>service or area</th><th>covered by</th><th>people</th></tr></thead><tbody>${rows}</tbody></table>${
        more > 0 ? `<p class="more">and ${more} more</p>` : ""
      }${people ? `<ul class="brent">${people}</ul>` : ""}`;
    };
  },
};
