import { describe, expect, it } from "vitest";
import { getCheck, validateCheckParameters } from "../../guardrails/registry";
import { compileSafeRegex } from "../../schema/query/regex/program";
import { SafePattern } from "../../schema/query/regex/search";
import { checkContext } from "./guardrails-helpers";

/**
 * Lazy quantifiers (`+?`, `*?`, `??`, `{n,m}?`) take as few repetitions as let the rest of the pattern match, so
 * `find` and `replaceAll` (regexReplace) must return JavaScript's shorter span, not the greedy one. Every case is
 * written out by hand and also checked against RegExp, so a wrong expectation cannot hide a wrong engine.
 */

function compile(source: string): SafePattern {
  const compiled = SafePattern.compile(source);
  if (!compiled.ok) throw new Error(`${source}: ${compiled.reason}`);
  return compiled.pattern;
}

const spanOf = (found: RegExpExecArray | null) => found && { start: found.index, end: found.index + found[0].length };

/** [pattern, text, expected span (start, end) or null]. */
const SPANS: [string, string, [number, number] | null][] = [
  ["a+?", "aaa", [0, 1]],
  ["a*?", "aaa", [0, 0]],
  ["a??", "aaa", [0, 0]],
  ["ba??", "baa", [0, 1]],
  ["<.+?>", "<a><b>", [0, 3]],
  ["<.*?>", "x<><b>", [1, 3]],
  ["a{2,3}?", "aaaa", [0, 2]],
  ["a{2,}?", "aaaa", [0, 2]],
  ["a{0,2}?", "aaa", [0, 0]],
  ["a{2}?", "aaaa", [0, 2]],
  ["a+?a", "aaaa", [0, 2]],
  ["a.*?b", "a1b2b", [0, 3]],
  ["\\w+?\\b", "hello world", [0, 5]],
  ["\\d+?$", "x 12 345", [5, 8]],
  ["(a|ab)*?c", "ababc", [0, 5]],
  ["(a|ab)*?c", "xaac", [1, 4]],
  ["(?:a|ab)*?b", "abab", [0, 2]],
  ["(?:ab|a)*?b", "aab", [0, 3]],
  ["(?:ab+?)+", "abbab", [0, 2]],
  ["(?:a+?b)+", "aabab", [0, 5]],
  ["(?:a+?)*", "aaa", [0, 3]],
  ["(?:a+)*?", "aaa", [0, 0]],
  ["(?:a+)+?", "aaa", [0, 3]],
  ["(?:a+?)+?", "aaa", [0, 1]],
  ["x(?:a+?|b+)", "xaaa", [0, 2]],
  ["x(?:b+|a+?)", "xbbb", [0, 4]],
  ["(?:a*?|b)c?", "bc", [0, 0]],
  ["q(?:a+?|ab)c", "qabc", [0, 4]],
  ["(?:a+?)?b", "aab", [0, 3]],
  ["a+?", "bbb", null],
];

describe("lazy quantifiers give JavaScript's shortest span", () => {
  for (const [source, text, span] of SPANS) {
    it(`${source} on ${JSON.stringify(text)}`, () => {
      const expected = span && { start: span[0], end: span[1] };
      expect(spanOf(new RegExp(source).exec(text))).toEqual(expected);
      expect(compile(source).find(text)).toEqual(expected);
    });
  }

  it("find from an offset and replaceAll take the lazy span at every match", () => {
    const tags = compile("<.+?>");
    expect(tags.find("<a><b>", 1)).toEqual({ start: 3, end: 6 });
    expect(tags.replaceAll("<a>text<b>", "#")).toEqual({ text: "#text#", count: 2 });
    expect(compile("a{2,3}?").replaceAll("aaaaa", "#")).toEqual({ text: "##a", count: 2 });
    expect(compile("a+?").replaceAll("baab", "#")).toEqual({ text: "b##b", count: 2 });
    // Empty lazy matches step on by one code unit, as String.prototype.replace does.
    expect(compile("a*?").replaceAll("aa", "#")).toEqual({ text: "#a#a#", count: 3 });
    for (const [source, text] of [
      ["<.+?>", "<a>text<b>"],
      ["a{2,3}?", "aaaaa"],
      ["a+?", "baab"],
      ["a*?", "aa"],
    ] as const) {
      expect(compile(source).replaceAll(text, "#").text).toBe(text.replace(new RegExp(source, "g"), "#"));
    }
  });

  it("yes/no answers (the lazy DFA and routing's $regex) are unchanged by laziness", () => {
    for (const [source, text, span] of SPANS) {
      const routing = compileSafeRegex(source);
      expect(routing.ok && routing.regex.test(text), source).toBe(span !== null);
      expect(compile(source).test(text), source).toBe(span !== null);
    }
  });

  it("stays linear: a nested lazy pattern on a long text that never matches", () => {
    const text = "a".repeat(20_000);
    const started = Date.now();
    expect(compile("(?:a+?)+?b").find(text)).toBeNull();
    expect(compile("(?:a*?)*?b").replaceAll(text, "#")).toEqual({ text, count: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("still refuses a quantifier after a lazy one, as JavaScript does", () => {
    const lazyThenOptional = "a+??";
    expect(SafePattern.compile(lazyThenOptional)).toEqual({
      ok: false,
      reason: expect.stringMatching(/nothing to repeat/i),
    });
    expect(() => new RegExp(lazyThenOptional)).toThrow();
  });
});

describe("regexReplace (the guardrail check) replaces the lazy span", () => {
  async function replace(rule: string, text: string) {
    const id = "default.regexReplace";
    const valid = validateCheckParameters(id, { rule, redactText: "[TAG]" }, `config.input_guardrails[0].${id}`);
    if (!valid.ok) throw new Error(JSON.stringify(valid.issues));
    return getCheck(id).run(checkContext(text), valid.parameters);
  }

  it("<.+?> replaces each tag, not everything from the first < to the last >", async () => {
    expect(await replace("<.+?>", "<b>bold</b> and <i>it</i>")).toEqual({
      verdict: true,
      data: { replacements: 4 },
      transformedText: "[TAG]bold[TAG] and [TAG]it[TAG]",
    });
  });

  it("a bounded lazy repeat and a lazy group in an alternation", async () => {
    expect(await replace("\\d{2,4}?", "123456789")).toEqual({
      verdict: true,
      data: { replacements: 4 },
      transformedText: "[TAG][TAG][TAG][TAG]9",
    });
    expect(await replace("k=(?:\\w+?|\\d+);", "k=ab; k=12;")).toEqual({
      verdict: true,
      data: { replacements: 2 },
      transformedText: "[TAG] [TAG]",
    });
  });
});
