import { describe, expect, it } from "vitest";
import { MAX_REGEX_INPUT_LENGTH } from "../../schema/query/regex/program";
import { SafePattern } from "../../schema/query/regex/search";

function compile(source: string): SafePattern {
  const compiled = SafePattern.compile(source);
  if (!compiled.ok) throw new Error(`${source}: ${compiled.reason}`);
  return compiled.pattern;
}

const PATTERNS = [
  "\\d{3}-\\d{2}-\\d{4}",
  "a|ab",
  "ab|a",
  "a+",
  "a*",
  "(a|ab)(c|bcd)(d*)",
  "\\bcat\\b",
  "x?",
  "[a-z]+@[a-z]+\\.com",
  "^hello",
  "world$",
  "(?:foo|foobar)baz",
  "a{2,3}",
  "\\s+",
  "colou?r",
  ".*end",
  "(a+)+b",
  "",
];
const INPUTS = [
  "ssn 123-45-6789 and 987-65-4321",
  "abcd",
  "aaa",
  "the cat sat on a category",
  "",
  "mail bob@acme.com now",
  "hello world",
  "say hello",
  "foobarbaz foobaz",
  "aaaa",
  "a  b\tc",
  "color colour",
  "the end is the end",
  "xaaab",
];

describe("SafePattern finds the same leftmost match as JavaScript", () => {
  for (const source of PATTERNS) {
    it(JSON.stringify(source), () => {
      const ours = compile(source);
      for (const input of INPUTS) {
        const theirs = new RegExp(source).exec(input);
        const span = ours.find(input);
        const expected = theirs ? { start: theirs.index, end: theirs.index + theirs[0].length } : null;
        expect(span, JSON.stringify(input)).toEqual(expected);
      }
    });
  }

  it("replaces every match like String.prototype.replace with a global regex and a literal replacement", () => {
    for (const source of PATTERNS) {
      const ours = compile(source);
      for (const input of INPUTS) {
        const expected = input.replace(new RegExp(source, "g"), () => "#");
        expect(ours.replaceAll(input, "#").text, `${source} on ${JSON.stringify(input)}`).toBe(expected);
      }
    }
  });

  it("counts replacements and keeps the text when nothing matches", () => {
    expect(compile("\\d+").replaceAll("a1b22c333", "N")).toEqual({ text: "aNbNcN", count: 3 });
    expect(compile("\\d+").replaceAll("none", "N")).toEqual({ text: "none", count: 0 });
  });
});

describe("whole texts, prefixes and hostile inputs", () => {
  it("scans past the 2,048 code units routing's $regex reads", () => {
    const text = `${"x".repeat(MAX_REGEX_INPUT_LENGTH + 500)} 123-45-6789`;
    expect(compile("\\d{3}-\\d{2}-\\d{4}").test(text)).toBe(true);
  });

  it("on a prefix, end-of-text assertions wait for more text instead of matching", () => {
    expect(compile("cat$").test("the cat", { partial: true })).toBe(false);
    expect(compile("cat$").test("the cat")).toBe(true);
    expect(compile("\\bcat\\b").test("the cat", { partial: true })).toBe(false);
    expect(compile("\\bcat\\b").test("the cat ", { partial: true })).toBe(true);
    expect(compile("^the").test("the", { partial: true })).toBe(true);
  });

  it("answers correctly on 10 KB ReDoS-shaped inputs (linear engine, no backtracking)", () => {
    const nearMiss = "a".repeat(10_000);
    expect(compile("(a+)+b").test(nearMiss)).toBe(false);
    expect(compile("(a|aa)*c").test(nearMiss)).toBe(false);
    expect(compile(".*a.*b").test(nearMiss)).toBe(false);
    expect(compile("(a+)+b").test(`${nearMiss}b`)).toBe(true);
    const digits = "1".repeat(10_000);
    expect(compile("\\d{3}-\\d{2}-\\d{4}").test(digits)).toBe(false);
    expect(compile("(\\d+)+x").replaceAll(digits, "#")).toEqual({ text: digits, count: 0 });
  });

  it("refuses what the linear engine cannot run, with routing's reasons", () => {
    const refused = SafePattern.compile("(a)\\1");
    expect(refused.ok).toBe(false);
    expect(SafePattern.compile("(?=a)b").ok).toBe(false);
    expect(SafePattern.compile("x".repeat(300)).ok).toBe(false);
  });
});
