/** A source of uniform numbers in [0, 1): Math.random in the Worker, a seeded generator in tests. */
export type Random = () => number;

export interface Candidate {
  /** Relative weight; 0 disables the candidate. */
  weight: number;
  /** False when every target below it has an open circuit. */
  healthy: boolean;
}

/**
 * Weighted random choice for `loadbalance`, health-aware: candidates whose circuits are all open are left out, unless
 * that would leave nothing, in which case all weighted candidates compete again (a breaker alone never turns a
 * request away). Returns the chosen index, or null when no candidate has a positive weight.
 */
export function pickWeighted(candidates: readonly Candidate[], random: Random): number | null {
  const weighted = candidates.map((c, index) => ({ ...c, index })).filter((c) => c.weight > 0);
  if (weighted.length === 0) return null;
  const healthy = weighted.filter((c) => c.healthy);
  const pool = healthy.length > 0 ? healthy : weighted;
  const total = pool.reduce((sum, c) => sum + c.weight, 0);
  let point = random() * total;
  for (const c of pool) {
    point -= c.weight;
    if (point < 0) return c.index;
  }
  // Only reachable through floating-point rounding when random() is very close to 1.
  return pool[pool.length - 1]?.index ?? null;
}

/** Deterministic PRNG (mulberry32) for tests and reproducible simulations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
