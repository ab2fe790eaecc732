import { describe, expect, it } from "vitest";
import { pickWeighted, seededRandom, type Candidate } from "../../src/routing/select";

const healthy = (...weights: number[]): Candidate[] => weights.map((weight) => ({ weight, healthy: true }));

function shares(candidates: Candidate[], decisions: number, seed: number): number[] {
  const random = seededRandom(seed);
  const counts = candidates.map(() => 0);
  for (let i = 0; i < decisions; i++) {
    const index = pickWeighted(candidates, random);
    if (index !== null) counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count) => count / decisions);
}

describe("weighted load balancing", () => {
  // Tolerance: 0.015 absolute on each share over 10,000 decisions, 3 standard deviations at p = 0.5.
  it("honours weights within 0.015 over 10,000 decisions (seeded random)", () => {
    for (const seed of [1, 42, 2024]) {
      const observed = shares(healthy(5, 3, 2, 0), 10_000, seed);
      [0.5, 0.3, 0.2, 0].forEach((expected, i) =>
        expect(Math.abs((observed[i] ?? 0) - expected)).toBeLessThanOrEqual(0.015),
      );
    }
  });

  it("honours fractional and lopsided weights", () => {
    const observed = shares(healthy(0.25, 0.75), 10_000, 7);
    expect(Math.abs((observed[0] ?? 0) - 0.25)).toBeLessThanOrEqual(0.015);
    const lopsided = shares(healthy(99, 1), 10_000, 8);
    expect(Math.abs((lopsided[1] ?? 0) - 0.01)).toBeLessThanOrEqual(0.005);
  });

  it("never picks a weight-0 target, and returns null when nothing has weight", () => {
    expect(shares(healthy(0, 1, 0), 1_000, 3)).toEqual([0, 1, 0]);
    expect(pickWeighted(healthy(0, 0), seededRandom(1))).toBeNull();
    expect(pickWeighted([], seededRandom(1))).toBeNull();
  });

  it("skips targets with open circuits, redistributing their share", () => {
    const candidates: Candidate[] = [
      { weight: 1, healthy: true },
      { weight: 1, healthy: false },
      { weight: 2, healthy: true },
    ];
    const observed = shares(candidates, 10_000, 5);
    expect(observed[1]).toBe(0);
    expect(Math.abs((observed[0] ?? 0) - 1 / 3)).toBeLessThanOrEqual(0.015);
  });

  it("falls back to all weighted targets when every circuit is open", () => {
    const candidates: Candidate[] = [
      { weight: 1, healthy: false },
      { weight: 1, healthy: false },
      { weight: 0, healthy: false },
    ];
    const observed = shares(candidates, 10_000, 6);
    expect(Math.abs((observed[0] ?? 0) - 0.5)).toBeLessThanOrEqual(0.015);
    expect(observed[2]).toBe(0);
  });

  it("maps the ends of [0, 1) to the first and last candidates", () => {
    expect(pickWeighted(healthy(1, 1, 1), () => 0)).toBe(0);
    expect(pickWeighted(healthy(1, 1, 1), () => 0.9999999999)).toBe(2);
  });

  it("seededRandom is deterministic and in [0, 1)", () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    for (let i = 0; i < 1_000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
