import { describe, expect, it } from "vitest";
import { compileSafeRegex, type SafeRegex } from "../../schema/query/regex/program";
import { SafePattern } from "../../schema/query/regex/search";

/**
 * The regex engine's fast paths (the lazy DFA behind every yes/no test, the first-character skip, the cached
 * closures and the reused buffers of the Pike VM) must answer exactly as JavaScript's RegExp does. Patterns and
 * texts are generated from a fixed seed over a small alphabet, so that matches, near misses, word boundaries,
 * line terminators and non-ASCII units all occur often.
 */

/** A small deterministic PRNG (mulberry32), so a failure names a case that reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = ["a", "b", "1", "-", " ", "é", "[ab]", "[^a]", "\\d", "\\w", "\\W", "\\s", ".", "[a-c1]", "[^\\s]"];
const ASSERTIONS = ["\\b", "\\B", "^", "$"];
const QUANTIFIERS = ["*", "+", "?", "{1,3}", "{2}", "*?", "+?", "{0,2}", "??", "{1,3}?", "{2,}?"];
const TEXT_UNITS = ["a", "a", "b", "1", "2", "-", " ", "\n", "é", "_", "ab", "a1"];

function patternOf(next: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const parts: string[] = [];
  const length = 1 + Math.floor(next() * 4);
  for (let i = 0; i < length; i++) {
    const roll = next();
    if (roll < 0.12) {
      parts.push(pick(ASSERTIONS)); // never quantified: JavaScript refuses that too
      continue;
    }
    const atom =
      roll < 0.3 && depth < 2 ? `(?:${patternOf(next, depth + 1)}|${patternOf(next, depth + 1)})` : pick(ATOMS);
    parts.push(next() < 0.4 ? atom + pick(QUANTIFIERS) : atom);
  }
  return parts.join("");
}

function textOf(next: () => number): string {
  let text = "";
  const length = Math.floor(next() * 14);
  for (let i = 0; i < length; i++) text += TEXT_UNITS[Math.floor(next() * TEXT_UNITS.length)] ?? "";
  return text;
}

function compiledPair(source: string): { search: SafePattern; routing: SafeRegex } | null {
  const search = SafePattern.compile(source);
  const routing = compileSafeRegex(source);
  return search.ok && routing.ok ? { search: search.pattern, routing: routing.regex } : null;
}

function generatedCases(seed: number, count: number): { source: string; texts: string[] }[] {
  const next = random(seed);
  const cases: { source: string; texts: string[] }[] = [];
  while (cases.length < count) {
    const source = patternOf(next);
    if (compiledPair(source)) cases.push({ source, texts: Array.from({ length: 24 }, () => textOf(next)) });
  }
  return cases;
}

const CASES = generatedCases(20261207, 400);

describe("the fast paths answer as JavaScript's RegExp on generated patterns", () => {
  it("test() (the lazy DFA) and routing's $regex say match exactly when RegExp does", () => {
    for (const { source, texts } of CASES) {
      const ours = compiledPair(source);
      for (const text of texts) {
        const expected = new RegExp(source).test(text);
        const label = `${source} on ${JSON.stringify(text)}`;
        expect(ours?.search.test(text), label).toBe(expected);
        expect(ours?.routing.test(text), label).toBe(expected);
      }
    }
  });

  it("find() (the Pike VM with its skip and cached closures) gives RegExp's leftmost match and end", () => {
    for (const { source, texts } of CASES) {
      const ours = compiledPair(source)?.search;
      for (const text of texts) {
        const theirs = new RegExp(source).exec(text);
        const expected = theirs ? { start: theirs.index, end: theirs.index + theirs[0].length } : null;
        expect(ours?.find(text), `${source} on ${JSON.stringify(text)}`).toEqual(expected);
      }
    }
  });

  it("replaceAll() finds every match String.prototype.replace does (searches reuse one VM's buffers)", () => {
    for (const { source, texts } of CASES.slice(0, 150)) {
      const ours = compiledPair(source)?.search;
      for (const text of texts) {
        const expected = text.replace(new RegExp(source, "g"), () => "#");
        expect(ours?.replaceAll(text, "#").text, `${source} on ${JSON.stringify(text)}`).toBe(expected);
      }
    }
  });

  it("on a streamed prefix, a match is one in every continuation, and the DFA and the VM agree", () => {
    for (const { source, texts } of CASES) {
      const ours = compiledPair(source)?.search;
      for (const text of texts) {
        const label = `${source} on ${JSON.stringify(text)}`;
        const partial = ours?.test(text, { partial: true });
        expect(partial, label).toBe(ours?.find(text, 0, true) !== null);
        if (!partial) continue;
        for (const more of ["", " ", "a", "-", "\n"]) expect(new RegExp(source).test(text + more), label).toBe(true);
      }
    }
  });
});

describe("the fast paths on inputs built to defeat them", () => {
  it("a pattern whose automaton outgrows its cap falls back to the VM with the same answers", () => {
    // (a|b)*a(a|b){10}: the DFA needs a state per last-11-characters window (2,048 > the cap of 128).
    const source = "(?:a|b)*a(?:a|b){10}$";
    const ours = compiledPair(source);
    const next = random(7);
    for (let i = 0; i < 60; i++) {
      const text = Array.from({ length: 200 + Math.floor(next() * 200) }, () => (next() < 0.5 ? "a" : "b")).join("");
      const expected = new RegExp(source).test(text);
      expect(ours?.search.test(text)).toBe(expected);
      expect(ours?.routing.test(text)).toBe(expected);
    }
  });

  it("characters above ASCII (their transitions kept apart, the map cleared when it grows) match as RegExp", () => {
    const wide = Array.from({ length: 6000 }, (_, i) => String.fromCharCode(0x4e00 + i)).join("");
    for (const source of ["[^x]{3}y", "\\W+\\d", ".\\b.", "[\\u4e00-\\u4e10]+z", "\\S\\s"]) {
      const ours = compiledPair(source)?.search;
      for (const text of [wide, `${wide}y`, `${wide}1`, `${wide.slice(0, 5)}z`, `é${wide}a b`]) {
        const theirs = new RegExp(source).exec(text);
        expect(ours?.test(text), source).toBe(theirs !== null);
        expect(ours?.find(text), source).toEqual(
          theirs && { start: theirs.index, end: theirs.index + theirs[0].length },
        );
      }
    }
  });

  it("the first-character skip never jumps over a match, at the start, the end or after a miss", () => {
    const ssn = compiledPair("\\b\\d{3}-\\d{2}-\\d{4}\\b")?.search;
    const filler = " x ".repeat(1000); // no digit: the skip jumps over all of it
    expect(ssn?.find(`123-45-6789${filler}`)).toEqual({ start: 0, end: 11 });
    expect(ssn?.find(`${filler}123-45-6789`)).toEqual({ start: 3000, end: 3011 });
    expect(ssn?.find(`${filler}1234-45-6789 123-45-67890 ${filler}`)).toBeNull();
    expect(ssn?.test(`${filler}12 123-45-6789 `)).toBe(true);
    expect(ssn?.replaceAll(`a 123-45-6789 b 987-65-4321`, "#")).toEqual({ text: "a # b #", count: 2 });
  });

  it("a compiled pattern gives the same answers however many texts it has seen before (no stale buffers)", () => {
    const ours = compiledPair("(a+)+b|\\bab\\b")?.search;
    const texts = ["aaab", "ab", "xaby", "a ab", "aaaa", "", "b", "ab ab"];
    const first = texts.map((text) => [ours?.test(text), ours?.find(text)]);
    for (let round = 0; round < 3; round++) {
      expect(texts.map((text) => [ours?.test(text), ours?.find(text)])).toEqual(first);
    }
    expect(first).toEqual(texts.map((text) => [/(a+)+b|\bab\b/.test(text), spanOf(/(a+)+b|\bab\b/.exec(text))]));
  });
});

const spanOf = (found: RegExpExecArray | null) => found && { start: found.index, end: found.index + found[0].length };
