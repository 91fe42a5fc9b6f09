import { normalFrom, type Random } from "../../core/index.ts";
import type { Dist } from "./model.ts";

/** One draw of `dist` in milliseconds. */
export function draw(dist: Dist, random: Random): number {
  switch (dist.kind) {
    case "fixed":
      return dist.ms;
    case "empirical":
      return dist.samples[Math.floor(random() * dist.samples.length)] ?? 0;
    case "uniform":
      return dist.minMs + (dist.maxMs - dist.minMs) * random();
    case "lognormal":
      return dist.medianMs * Math.exp(dist.sigma * normalFrom(random));
  }
}

/** The mean, for shares and defaults (exact for every kind). */
export function meanOf(dist: Dist): number {
  switch (dist.kind) {
    case "fixed":
      return dist.ms;
    case "empirical":
      return dist.samples.length === 0 ? 0 : dist.samples.reduce((a, b) => a + b, 0) / dist.samples.length;
    case "uniform":
      return (dist.minMs + dist.maxMs) / 2;
    case "lognormal":
      return dist.medianMs * Math.exp((dist.sigma * dist.sigma) / 2);
  }
}

/** P(draw ≥ ms): how often an attempt would run into a timeout of `ms`. */
export function tailAtLeast(dist: Dist, ms: number): number {
  switch (dist.kind) {
    case "fixed":
      return dist.ms >= ms ? 1 : 0;
    case "empirical":
      return dist.samples.length === 0 ? 0 : dist.samples.filter((s) => s >= ms).length / dist.samples.length;
    case "uniform":
      if (dist.maxMs <= dist.minMs) return dist.minMs >= ms ? 1 : 0;
      return Math.min(1, Math.max(0, (dist.maxMs - ms) / (dist.maxMs - dist.minMs)));
    case "lognormal": {
      if (dist.sigma === 0 || dist.medianMs <= 0) return dist.medianMs >= ms ? 1 : 0;
      const z = Math.log(ms / dist.medianMs) / dist.sigma;
      return 1 - normalCdf(z);
    }
  }
}

/** Φ(z), Abramowitz–Stegun 7.1.26 (error below 1.5e-7: plenty for a timeout's tail). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** A short human form: `empirical (n=42)`, `log-normal (median 2s, σ 0.3)`. */
export function describeDist(dist: Dist, ms: (n: number) => string): string {
  switch (dist.kind) {
    case "fixed":
      return `fixed ${ms(dist.ms)}`;
    case "empirical":
      return `empirical (n=${dist.samples.length})`;
    case "uniform":
      return `uniform ${ms(dist.minMs)}–${ms(dist.maxMs)}`;
    case "lognormal":
      return `log-normal (median ${ms(dist.medianMs)}, σ ${dist.sigma})`;
  }
}
