import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors";
import { parsePromptRef } from "../../src/prompts/ref";
import { resolveVersion } from "../../src/prompts/resolve";
import type { LabelShare, PromptSnapshot } from "../../src/prompts/types";
import { chooseShare, chooseVersion, stickyDraw } from "../../src/prompts/weighted";

const prompt = (labels: Record<string, LabelShare[]> = {}): PromptSnapshot => ({
  id: "11111111-1111-4111-8111-111111111111",
  slug: "support",
  latestVersion: 5,
  labels: new Map(Object.entries(labels)),
});
const anyone = { user: null, random: () => 0.5 };

/** A deterministic random source (a linear congruential generator) so the distribution test never flakes. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

describe("prompt ids", () => {
  it("parse slugs and ids with version, label or latest", () => {
    expect(parsePromptRef("support")).toEqual({ key: "support", selector: { kind: "default" } });
    expect(parsePromptRef("support@7")).toEqual({ key: "support", selector: { kind: "version", version: 7 } });
    expect(parsePromptRef("support@latest")).toEqual({ key: "support", selector: { kind: "latest" } });
    expect(parsePromptRef("support@staging")).toEqual({
      key: "support",
      selector: { kind: "label", label: "staging" },
    });
    expect(parsePromptRef(`${prompt().id}@2`)?.key).toBe(prompt().id);
    expect(parsePromptRef("support@0")).toBeNull();
    expect(parsePromptRef("Bad Slug")).toBeNull();
  });
});

describe("version resolution", () => {
  it("no suffix: production when set, else latest", () => {
    expect(resolveVersion(prompt(), { kind: "default" }, anyone)).toEqual({ version: 5, label: null });
    const labelled = prompt({ production: [{ version: 3, weight: 1 }] });
    expect(resolveVersion(labelled, { kind: "default" }, anyone)).toEqual({ version: 3, label: "production" });
    expect(resolveVersion(labelled, { kind: "latest" }, anyone)).toEqual({ version: 5, label: null });
  });

  it("a version or a label by name; unknown ones are 404s", () => {
    const labelled = prompt({ staging: [{ version: 4, weight: 1 }] });
    expect(resolveVersion(labelled, { kind: "version", version: 2 }, anyone)).toEqual({ version: 2, label: null });
    expect(resolveVersion(labelled, { kind: "label", label: "staging" }, anyone)).toEqual({
      version: 4,
      label: "staging",
    });
    const errors = [
      () => resolveVersion(labelled, { kind: "version", version: 6 }, anyone),
      () => resolveVersion(labelled, { kind: "label", label: "development" }, anyone),
    ].map((call) => {
      try {
        call();
      } catch (error) {
        return error;
      }
      return null;
    });
    expect(errors.map((e) => (e instanceof GatewayError ? [e.status, e.code] : e))).toEqual([
      [404, "prompt_version_not_found"],
      [404, "prompt_label_not_set"],
    ]);
  });
});

describe("weighted labels", () => {
  const split: LabelShare[] = [
    { version: 3, weight: 90 },
    { version: 4, weight: 10 },
    { version: 5, weight: 0 },
  ];

  it("bands follow the weights; a zero weight is never chosen", () => {
    expect(chooseShare(split, 0)).toBe(3);
    expect(chooseShare(split, 0.8999)).toBe(3);
    expect(chooseShare(split, 0.9)).toBe(4);
    expect(chooseShare(split, 0.999999)).toBe(4);
  });

  it("over 10,000 random draws each version gets its share within 1.5 points (about 5 standard deviations)", () => {
    const random = seeded(42);
    const counts = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const version = chooseVersion(prompt().id, "production", split, null, random);
      counts.set(version, (counts.get(version) ?? 0) + 1);
    }
    expect(Math.abs((counts.get(3) ?? 0) / 10_000 - 0.9)).toBeLessThan(0.015);
    expect(Math.abs((counts.get(4) ?? 0) / 10_000 - 0.1)).toBeLessThan(0.015);
    expect(counts.get(5)).toBeUndefined();
  });

  it("sticky per user: a user always gets one version whatever the random source, and users spread by weight", () => {
    const first = chooseVersion(prompt().id, "production", split, "user-1", () => 0);
    for (let i = 0; i < 50; i++)
      expect(chooseVersion(prompt().id, "production", split, "user-1", Math.random)).toBe(first);
    let fours = 0;
    for (let i = 0; i < 10_000; i++)
      if (chooseVersion(prompt().id, "production", split, `user-${i}`, () => 0) === 4) fours++;
    expect(Math.abs(fours / 10_000 - 0.1)).toBeLessThan(0.015);
  });

  it("users whose ids differ only in the last character still spread over a split", () => {
    // 50/50 over user-a .. user-Z (52 ids, one character apart): binomial(52, 0.5) lies within 26 +- 12 with
    // probability > 99.9%; the ids and prompts are fixed, so the outcome is too.
    const even: LabelShare[] = [
      { version: 1, weight: 1 },
      { version: 2, weight: 1 },
    ];
    for (const id of ["p1", "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]) {
      let ones = 0;
      for (const letter of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
        if (chooseVersion(id, "production", even, `user-${letter}`, () => 0) === 1) ones++;
      }
      expect(Math.abs(ones - 26), `prompt ${id}`).toBeLessThanOrEqual(12);
    }
  });

  it("the sticky draw depends on the prompt and the label, so splits are independent", () => {
    const draws = new Set([
      stickyDraw("p1", "production", "u"),
      stickyDraw("p2", "production", "u"),
      stickyDraw("p1", "staging", "u"),
    ]);
    expect(draws.size).toBe(3);
    for (const draw of draws) expect(draw >= 0 && draw < 1).toBe(true);
  });
});
