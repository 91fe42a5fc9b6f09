/**
 * A seeded source of uniform numbers in [0, 1). Simulations and seeded test actions (noop's
 * `fail_rate`) draw from it instead of Math.random, so the same seed gives the same draws on every
 * machine and Node version.
 */
export type Random = () => number;

/**
 * 32-bit hash of a seed (a string or a number), spread over four words. FNV-1a over the text,
 * then a murmur-style finaliser per word: nearby seeds ("run-1", "run-2") give unrelated states.
 */
export function seedWords(seed: string | number): [number, number, number, number] {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const mix = (x: number): number => {
    let z = x >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return [mix(h), mix(h + 0x9e3779b9), mix(h + 0x3c6ef372), mix(h + 0xdaa66d2b)];
}

/**
 * SFC32 (Chris Doty-Humphrey's small fast counting generator): four words of state, period at
 * least 2^32, passes PractRand to large sizes, and costs a handful of integer operations — the
 * simulator draws tens of millions of numbers a second from it.
 *
 * @example
 * const random = seededRandom("release-42");
 * random(); // the same number on every run with this seed
 */
export function seededRandom(seed: string | number): Random {
  let [a, b, c, d] = seedWords(seed);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first draws of a fresh state are still close to the seed's hash: skip them.
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A standard normal draw (Box–Muller; the second value is dropped to keep the state simple). */
export function normalFrom(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
