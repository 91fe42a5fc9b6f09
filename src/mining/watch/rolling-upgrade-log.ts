/**
 * A generated rolling upgrade's log, for the tests of `mine watch --learn` (unit and e2e):
 * instances in waves, each deregistered, stopped, launched, registered, health-checked and
 * attached, with seeded step times.
 */
import { seededRandom } from "../../core/index.ts";
import { compileLogFormat } from "../templates/index.ts";

export const FORMAT_TEXT = "<Date> <Time> <Level> \\[<Component>\\] <Content>";
export const FORMAT = compileLogFormat(FORMAT_TEXT);
export const CASE = "instance (i-[0-9a-f]+)";
export const STEP_MIN_S = 5;
export const STEP_MAX_S = 20;

const STEPS = [
  (id: string, n: number) => `instance ${id} deregistered from target group tg-${n % 3} draining ${n % 50} s`,
  (id: string, n: number) => `instance ${id} stopped after ${n % 30} s`,
  (id: string, n: number) =>
    `instance ${id} launched from image ami-${(n * 7919) % 65536} in subnet-${n % 4}`,
  (id: string, n: number) => `instance ${id} registered in target group tg-${n % 3}`,
  (id: string, n: number) => `health check passed for instance ${id} after ${1 + (n % 5)} probes`,
  (id: string, n: number) => `instance ${id} attached to load balancer lb-${n % 2}`,
];

export interface Line {
  readonly at: number;
  readonly id: string;
  readonly step: number;
  readonly text: string;
}

/**
 * A rolling upgrade's log: instances in waves of 4 (a wave starts 30 s after the previous), each
 * going through the six steps with 5–20 s between them; `faults` drops steps of some instances.
 */
export function rollingUpgrade(
  instances: number,
  faults: Record<number, (step: number) => boolean> = {},
): Line[] {
  const random = seededRandom("rolling-upgrade");
  const start = Date.UTC(2026, 2, 1, 10, 0, 0);
  const lines: Line[] = [];
  for (let i = 0; i < instances; i++) {
    const id = `i-${(0x1000 + i).toString(16)}`;
    let at = start + Math.floor(i / 4) * 30_000 + Math.floor(random() * 5000);
    STEPS.forEach((text, step) => {
      if (step > 0) at += (STEP_MIN_S + random() * (STEP_MAX_S - STEP_MIN_S)) * 1000;
      if (faults[i]?.(step) === false) return;
      lines.push({ at: Math.round(at), id, step, text: text(id, i + step) });
    });
  }
  return lines.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export const render = (l: Line) => {
  const iso = new Date(l.at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23).replace(".", ",")} INFO [upgrader] ${l.text}`;
};
