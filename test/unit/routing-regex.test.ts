import { describe, expect, it } from "vitest";
import {
  compileSafeRegex,
  MAX_REGEX_INPUT_LENGTH,
  MAX_REGEX_PATTERN_LENGTH,
  MAX_REGEX_PROGRAM_SIZE,
  type SafeRegex,
} from "../../schema/query/regex/program";

function compile(pattern: string): SafeRegex {
  const compiled = compileSafeRegex(pattern);
  if (!compiled.ok) throw new Error(`${pattern}: ${compiled.reason}`);
  return compiled.regex;
}

const reason = (pattern: string) => {
  const compiled = compileSafeRegex(pattern);
  return compiled.ok ? null : compiled.reason;
};

describe("$regex matches like JavaScript's RegExp", () => {
  const patterns = [
    "^gpt-4",
    "claude",
    "^(gpt|o1)-",
    "@acme\\.com$",
    "^user-\\d+$",
    "^[a-z]+-\\d+$",
    "a{2,3}b",
    "(ab)*c",
    "x?y+z*",
    "\\bfoo\\b",
    "\\Bfoo",
    "[^a-c]x",
    "[\\d-z]",
    "[a-]",
    "[]a",
    "[^]",
    "a|b|c",
    "(?:a|)b",
    "(?<n>a)b",
    "\\x41\\u0042",
    "[\\s]+end",
    ".",
    "^$",
    "a{0}b",
    "\\.\\*\\+",
    "{",
    "a{,2}",
    "a{2,}",
    "(a+)+b",
    ".*a.*b",
    "[\\w.]+@[\\w.]+\\.com",
    "^\\D\\W\\S",
    "[\\b]",
    "\\t\\n",
    "^[^\\s@]+@[^\\s@]+$",
    "(?:eu|us)-(?:west|east)-\\d",
    "^(a|ab)(c|bcd)(d*)$",
    "a*?b",
    "a{1,3}?",
  ];
  const inputs = [
    "gpt-4o",
    "xgpt-4",
    "claude-3",
    "o1-mini",
    "bob@acme.com",
    "bob@acme.com.x",
    "user-12",
    "user-",
    "abc-12",
    "aab",
    "aaab",
    "ababc",
    "c",
    "yz",
    "xyyz",
    "a foo b",
    "afoo",
    "dx",
    "ax",
    "-",
    "5",
    "z",
    "",
    "AB",
    " \t end",
    "\n",
    "b",
    ".*+",
    "{",
    "a{,2}",
    "aa",
    "aaaa",
    "xaxb",
    "a.b@c.com",
    "!# x",
    "\b",
    "\t\n",
    "eu-west-1",
    "abcd",
    "Ünïcödé",
    "a\nb",
  ];
  for (const pattern of patterns) {
    it(pattern, () => {
      const ours = compile(pattern);
      const theirs = new RegExp(pattern);
      for (const value of inputs) expect(ours.test(value), JSON.stringify(value)).toBe(theirs.test(value));
    });
  }
});

describe("$regex cannot burn CPU", () => {
  // Each of these takes V8's backtracking engine seconds to minutes on a few kilobytes (measured: `.*a.*b` on
  // 4,096 "a"s ~90 s). Ours is linear: program size x input length, both capped.
  const evil: [string, string][] = [
    ["(a+)+b", "a".repeat(50_000)],
    ["(a|a)*b", "a".repeat(50_000)],
    [".*a.*b", "a".repeat(50_000)],
    ["\\d+\\d+\\d+x", "1".repeat(50_000)],
    ["(.*){30}x", "a".repeat(50_000)],
  ];
  for (const [pattern, value] of evil) {
    it(`${pattern} on ${value.length} characters`, () => {
      const regex = compile(pattern);
      const started = performance.now();
      expect(regex.test(value)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  }

  it("looks only at the first MAX_REGEX_INPUT_LENGTH characters, where $ cannot match", () => {
    const long = "x".repeat(MAX_REGEX_INPUT_LENGTH) + "needle";
    expect(compile("needle").test(long)).toBe(false);
    expect(compile("^x+").test(long)).toBe(true);
    expect(compile("x$").test("x".repeat(MAX_REGEX_INPUT_LENGTH + 1))).toBe(false);
    expect(compile("x$").test("x".repeat(MAX_REGEX_INPUT_LENGTH))).toBe(true);
  });
});

describe("unsafe or unsupported patterns are refused at config time", () => {
  it("backreferences", () => {
    expect(reason("(a)\\1")).toBe("backreferences are not supported");
    expect(reason("(?<x>a)\\k<x>")).toBe("backreferences are not supported");
  });

  it("lookaround", () => {
    for (const pattern of ["(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b"])
      expect(reason(pattern)).toBe("lookahead and lookbehind are not supported");
  });

  it("length, repetition bounds and expanded size", () => {
    expect(reason("a".repeat(MAX_REGEX_PATTERN_LENGTH + 1))).toBe(
      `pattern is longer than ${MAX_REGEX_PATTERN_LENGTH} characters`,
    );
    expect(compileSafeRegex("a".repeat(MAX_REGEX_PROGRAM_SIZE - 1)).ok).toBe(true);
    expect(reason("a{101}")).toBe("repetition bounds above 100 are not supported");
    expect(reason("(a{10}){20}")).toBe(
      `pattern is too complex (more than ${MAX_REGEX_PROGRAM_SIZE} steps once repetitions are expanded)`,
    );
  });

  it("syntax JavaScript rejects, and escapes we do not support", () => {
    expect(reason("(")).toMatch(/^invalid regular expression/);
    expect(reason("a**")).toMatch(/^invalid regular expression/);
    expect(reason("[z-a]")).toMatch(/^invalid regular expression/);
    expect(reason("\\p{L}")).toBe('unsupported escape "\\p"');
    expect(reason("\\q")).toBe('unsupported escape "\\q"');
  });
});
