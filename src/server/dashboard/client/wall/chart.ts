/**
 * Line charts drawn by uPlot. This module (and uPlot with it) is loaded only when a wall chart is
 * about to be drawn, so the other views never download it. Colours come from the page's theme.
 */
import uPlot from "uplot";

export interface Series {
  readonly label: string;
  /** A CSS custom property of the theme, e.g. `--busy`. */
  readonly colour: string;
  readonly values: readonly (number | null)[];
}

export interface LineChart {
  /** Seconds since the epoch (uPlot's time axis). */
  readonly x: readonly number[];
  readonly series: readonly Series[];
  /** The y axis's unit, e.g. `min`. */
  readonly unit: string;
  /**
   * A tick of the x axis in words. Given by the caller so that this chunk imports nothing of the
   * dashboard's own (the shared code stays in one chunk).
   */
  readonly day: (seconds: number) => string;
}

const DAY = 86_400;

const cssVar = (name: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || "#888";

let measuring: CanvasRenderingContext2D | null | undefined;

/** The width in CSS pixels of the widest label, in the axis's font (90 until it is known). */
function labelWidth(labels: readonly string[], font: string): number {
  measuring ??= document.createElement("canvas").getContext("2d");
  if (!measuring || labels.length === 0) return 90;
  measuring.font = font;
  return Math.ceil(Math.max(...labels.map((l) => measuring?.measureText(l).width ?? 0)));
}

/** Draws into `root`, filling it; uPlot's own legend is off (the panel writes its own, larger). */
export function drawLineChart(root: HTMLElement, chart: LineChart): void {
  const fg = cssVar("--fg");
  const grid = cssVar("--line");
  // Canvas text has no CSS font size: 22 px keeps the axes readable from a few metres.
  const font = "22px system-ui, sans-serif";
  const axis = { stroke: fg, font, size: 70, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const options: uPlot.Options = {
    width: Math.max(200, root.clientWidth),
    height: Math.max(150, root.clientHeight),
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      {
        ...axis,
        size: 50,
        // Whole days only: a drill a day at most is what the axis needs to tell apart.
        space: 150,
        incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY, 365 * DAY],
        values: (_u, ticks) => ticks.map(chart.day),
      },
      {
        ...axis,
        // Room for a tick every 60 px at most, and as wide as its widest label ("47.5 min"): a
        // fixed width cut the first digits off once drills took longer than 10 minutes.
        space: 60,
        size: (_u, values) => labelWidth(values ?? [], font) + 24,
        values: (_u, ticks) => ticks.map((t) => `${t} ${chart.unit}`),
      },
    ],
    series: [
      {},
      ...chart.series.map((s) => ({
        label: s.label,
        stroke: cssVar(s.colour),
        width: 4,
        points: { size: 12, fill: cssVar(s.colour) },
        spanGaps: true,
      })),
    ],
  };
  const data = [chart.x, ...chart.series.map((s) => s.values)] as unknown as uPlot.AlignedData;
  root.replaceChildren();
  new uPlot(options, data, root);
}
