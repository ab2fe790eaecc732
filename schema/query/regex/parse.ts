/**
 * Parser for the regular-expression subset that conditional routing accepts in `$regex`.
 *
 * Why not `new RegExp`: V8's engine backtracks, so a config author (or a saved config) could write a pattern such as
 * `.*a.*b` or `(a+)+b` that takes seconds or minutes on a few kilobytes of input and burns the Worker's CPU. We parse
 * the familiar JavaScript syntax ourselves and run it on a linear-time automaton (program.ts). Features that cannot
 * run in linear time (backreferences, lookaround) are rejected at config time with a clear message.
 */

export type CharRange = readonly [number, number];

/** A set of UTF-16 code units: sorted, non-overlapping ranges. Negation is resolved at parse time. */
export type CharSet = readonly CharRange[];

export type Assertion = "start" | "end" | "word_boundary" | "not_word_boundary";

export type RegexNode =
  | { kind: "set"; set: CharSet }
  | { kind: "seq"; items: RegexNode[] }
  | { kind: "alt"; items: RegexNode[] }
  /** `lazy` (`a+?`, `a{2,5}?`): as few repetitions as let the rest match; only the span found, never yes/no, differs. */
  | { kind: "repeat"; item: RegexNode; min: number; max: number; lazy: boolean }
  | { kind: "assert"; assertion: Assertion };

export class RegexSyntaxError extends Error {}

/** `{n,m}` bounds above this are refused: each repetition is a copy of the sub-program. */
export const MAX_REPEAT_BOUND = 100;

const MAX_CODE_UNIT = 0xffff;

function normalise(ranges: CharRange[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: CharRange[] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_UNIT) out.push([next, MAX_CODE_UNIT]);
  return out;
}

const code = (ch: string) => ch.charCodeAt(0);
const singleCodeUnit = (set: CharSet): number | null => {
  const [only] = set;
  return set.length === 1 && only && only[0] === only[1] ? only[0] : null;
};
const single = (c: number): CharSet => [[c, c]];
const DIGIT: CharSet = [[0x30, 0x39]];
export const WORD: CharSet = normalise([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
// The same code units as JavaScript's \s: ASCII whitespace, NBSP, the Unicode space separators, LS/PS and BOM.
const SPACE: CharSet = normalise([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = normalise([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
]);
const DOT = complement(LINE_TERMINATORS);

const CLASS_ESCAPES: Record<string, CharSet> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};
const CONTROL_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };
const SYNTAX_CHARS = "^$\\.*+?()[]{}|/-";

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new RegexSyntaxError(`unmatched ")" at position ${this.pos}`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private alternation(): RegexNode {
    const items = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      items.push(this.sequence());
    }
    return items.length === 1 && items[0] ? items[0] : { kind: "alt", items };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    for (let ch = this.peek(); ch !== undefined && ch !== "|" && ch !== ")"; ch = this.peek()) {
      const atom = this.atom();
      items.push(atom.kind === "assert" ? atom : this.quantified(atom));
      if (atom.kind === "assert" && this.quantifierAhead()) throw new RegexSyntaxError("nothing to repeat");
    }
    return items.length === 1 && items[0] ? items[0] : { kind: "seq", items };
  }

  private quantifierAhead(): boolean {
    const ch = this.peek();
    return ch === "*" || ch === "+" || ch === "?" || (ch === "{" && this.braceQuantifier(false) !== null);
  }

  private quantified(item: RegexNode): RegexNode {
    let bounds: [number, number] | null = null;
    const ch = this.peek();
    if (ch === "*") bounds = [0, Infinity];
    else if (ch === "+") bounds = [1, Infinity];
    else if (ch === "?") bounds = [0, 1];
    if (bounds) this.pos++;
    else if (ch === "{") bounds = this.braceQuantifier(true);
    if (!bounds) return item;
    const lazy = this.peek() === "?";
    if (lazy) this.pos++;
    if (this.quantifierAhead()) throw new RegexSyntaxError("nothing to repeat");
    return { kind: "repeat", item, min: bounds[0], max: bounds[1], lazy };
  }

  /** `{n}`, `{n,}`, `{n,m}`; anything else starting with `{` is a literal brace, as in JavaScript. */
  private braceQuantifier(consume: boolean): [number, number] | null {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (!match) return null;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
    if (consume) {
      if (max < min) throw new RegexSyntaxError(`numbers out of order in ${match[0]}`);
      if (min > MAX_REPEAT_BOUND || (max !== Infinity && max > MAX_REPEAT_BOUND)) {
        throw new RegexSyntaxError(`repetition bounds above ${MAX_REPEAT_BOUND} are not supported`);
      }
      this.pos += match[0].length;
    }
    return [min, max];
  }

  private atom(): RegexNode {
    const ch = this.src[this.pos++];
    switch (ch) {
      case "^":
        return { kind: "assert", assertion: "start" };
      case "$":
        return { kind: "assert", assertion: "end" };
      case ".":
        return { kind: "set", set: DOT };
      case "(":
        return this.group();
      case "[":
        return { kind: "set", set: this.charClass() };
      case "\\":
        return this.escape();
      case "*":
      case "+":
      case "?":
        throw new RegexSyntaxError("nothing to repeat");
      case "{":
        this.pos--;
        if (this.braceQuantifier(false) !== null) throw new RegexSyntaxError("nothing to repeat");
        this.pos++;
        return { kind: "set", set: single(code("{")) };
      default:
        return { kind: "set", set: single(code(ch ?? "")) };
    }
  }

  private group(): RegexNode {
    if (this.peek() === "?") {
      const next = this.peek(1);
      const afterName = this.peek(2);
      if (next === ":") this.pos += 2;
      else if (next === "<" && afterName !== "=" && afterName !== "!") {
        const end = this.src.indexOf(">", this.pos);
        if (end < 0) throw new RegexSyntaxError("unterminated group name");
        this.pos = end + 1;
      } else if (next === "=" || next === "!" || next === "<") {
        throw new RegexSyntaxError("lookahead and lookbehind are not supported");
      } else throw new RegexSyntaxError(`unsupported group syntax "(?${next ?? ""}"`);
    }
    const inner = this.alternation();
    if (this.src[this.pos++] !== ")") throw new RegexSyntaxError("unterminated group");
    return inner;
  }

  private escape(): RegexNode {
    const ch = this.src[this.pos];
    if (ch === "b") return this.skip({ kind: "assert", assertion: "word_boundary" });
    if (ch === "B") return this.skip({ kind: "assert", assertion: "not_word_boundary" });
    return { kind: "set", set: this.escapedSet(false) };
  }

  private skip(node: RegexNode): RegexNode {
    this.pos++;
    return node;
  }

  /** After a backslash: one of the class escapes, a control escape, \xHH, \uHHHH, \0 or an escaped syntax char. */
  private escapedSet(inClass: boolean): CharSet {
    const ch = this.src[this.pos++];
    if (ch === undefined) throw new RegexSyntaxError("pattern ends with a backslash");
    const classEscape = CLASS_ESCAPES[ch];
    if (classEscape) return classEscape;
    const control = CONTROL_ESCAPES[ch];
    if (control !== undefined) return single(control);
    if (inClass && ch === "b") return single(0x08);
    if (ch === "0" && !/\d/.test(this.peek() ?? "")) return single(0);
    if (/[1-9]/.test(ch) || ch === "k") throw new RegexSyntaxError("backreferences are not supported");
    if (ch === "x" || ch === "u") {
      const digits = ch === "x" ? 2 : 4;
      const hex = this.src.slice(this.pos, this.pos + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new RegexSyntaxError(`invalid \\${ch} escape`);
      this.pos += digits;
      return single(parseInt(hex, 16));
    }
    if (SYNTAX_CHARS.includes(ch)) return single(code(ch));
    throw new RegexSyntaxError(`unsupported escape "\\${ch}"`);
  }

  private charClass(): CharSet {
    const negated = this.peek() === "^";
    if (negated) this.pos++;
    const ranges: CharRange[] = [];
    // A leading "]" closes the class too: `[]` matches nothing and `[^]` anything, as in JavaScript.
    for (let ch = this.peek(); ch !== "]"; ch = this.peek()) {
      if (ch === undefined) throw new RegexSyntaxError("unterminated character class");
      const lo = this.classAtom();
      const dashThenAtom = this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined;
      if (!dashThenAtom) {
        ranges.push(...lo);
        continue;
      }
      this.pos++;
      const hi = this.classAtom();
      const from = singleCodeUnit(lo);
      const to = singleCodeUnit(hi);
      // A class escape on either side of "-" makes the dash literal (JavaScript's Annex B behaviour).
      if (from === null || to === null) ranges.push(...lo, [0x2d, 0x2d], ...hi);
      else if (to < from) throw new RegexSyntaxError("range out of order in character class");
      else ranges.push([from, to]);
    }
    this.pos++;
    const set = normalise(ranges);
    return negated ? complement(set) : set;
  }

  private classAtom(): CharSet {
    const ch = this.src[this.pos++] ?? "";
    return ch === "\\" ? this.escapedSet(true) : single(code(ch));
  }
}

export function parseRegex(pattern: string): RegexNode {
  return new Parser(pattern).parse();
}
