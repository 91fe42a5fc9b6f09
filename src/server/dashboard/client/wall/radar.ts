/**
 * A radar (spider) chart as SVG, written by us: uPlot draws x/y series and has no polar chart,
 * and a polygon over a few axes is a few lines of geometry. Labels are HTML beside it, not SVG
 * text, so that they follow the page's type size.
 */
export interface RadarAxis {
  /** 0..max, or null where there is no value (fewer than 3 answers): drawn at the centre, hollow. */
  readonly value: number | null;
}

const SIZE = 400;
const C = SIZE / 2;
const R = C - 20;

function point(i: number, n: number, fraction: number): [number, number] {
  // The first axis points up; the rest go clockwise.
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return [C + R * fraction * Math.cos(angle), C + R * fraction * Math.sin(angle)];
}

const xy = ([x, y]: [number, number]) => `${x.toFixed(1)},${y.toFixed(1)}`;

/** The SVG markup (numbers only: nothing from the API goes into it). */
export function radarSvg(axes: readonly RadarAxis[], max: number, rings: number): string {
  const n = axes.length;
  if (n < 3) return "";
  const ring = (f: number) =>
    `<polygon class="ring" points="${axes.map((_, i) => xy(point(i, n, f))).join(" ")}"/>`;
  const grid = Array.from({ length: rings }, (_, k) => ring((k + 1) / rings)).join("");
  const spokes = axes
    .map(
      (_, i) =>
        `<line class="spoke" x1="${C}" y1="${C}" x2="${point(i, n, 1)[0].toFixed(1)}" y2="${point(i, n, 1)[1].toFixed(1)}"/>`,
    )
    .join("");
  const shape = axes
    .map((a, i) => xy(point(i, n, a.value === null ? 0 : Math.min(a.value, max) / max)))
    .join(" ");
  const dots = axes
    .map((a, i) => {
      const [x, y] = point(i, n, a.value === null ? 0 : Math.min(a.value, max) / max);
      return `<circle class="dot${a.value === null ? " unknown" : ""}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="8"/>`;
    })
    .join("");
  const labels = axes
    .map((_, i) => {
      const [x, y] = point(i, n, 1.0);
      return `<text class="axis-no" x="${x.toFixed(1)}" y="${y.toFixed(1)}">${i + 1}</text>`;
    })
    .join("");
  return `<svg class="radar" viewBox="-30 -30 ${SIZE + 60} ${SIZE + 60}" role="img" aria-label="survey scores per dimension">${grid}${spokes}<polygon class="shape" points="${shape}"/>${dots}${labels}</svg>`;
}
