import { compileSafeRegex } from "./program";
import { PikeVm } from "./vm";

/**
 * Searching with the same regular-expression subset as `$regex` (parse.ts), for guardrails: unlike SafeRegex.test,
 * it scans the whole text (no 2,048-unit cut: a guardrail must see every character) and reports where a match is,
 * so a mutator can replace it. A Pike VM (threads in priority order, each remembering where it started) gives
 * JavaScript's leftmost match and its end in one pass: cost is at most program size x text length per search.
 *
 * Patterns are compiled by compileSafeRegex, so the program-size and pattern-length caps are the same as for
 * routing, and the program (instructions.ts) is the one routing runs.
 */

export interface MatchSpan {
  start: number;
  end: number;
}

/** Thrown when replacing every match would cost more than a linear budget (only pathological pattern/text pairs). */
export class RegexBudgetError extends Error {}

/** Steps allowed per code unit of text when finding every match (replaceAll), beyond a fixed allowance. */
const STEPS_PER_UNIT = 512;
const BASE_STEPS = 1_000_000;

export class SafePattern {
  private constructor(
    readonly source: string,
    private readonly vm: PikeVm,
  ) {}

  /** Compile a pattern, or say in a few words why it is refused (the same rules as routing's `$regex`). */
  static compile(pattern: string): { ok: true; pattern: SafePattern } | { ok: false; reason: string } {
    const checked = compileSafeRegex(pattern);
    if (!checked.ok) return checked;
    return { ok: true, pattern: new SafePattern(pattern, new PikeVm(checked.regex.compiled)) };
  }

  /** Like RegExp.prototype.test without flags, over the whole text, in linear time. */
  test(text: string, options: { partial?: boolean } = {}): boolean {
    return this.vm.run({
      input: text,
      from: 0,
      endOfText: text.length,
      partial: options.partial ?? false,
      anyMatch: true,
    });
  }

  /** Every non-overlapping match replaced by `replacement` (taken literally), and how many there were. */
  replaceAll(text: string, replacement: string): { text: string; count: number } {
    const budget = BASE_STEPS + STEPS_PER_UNIT * text.length;
    this.vm.steps = 0;
    let out = "";
    let from = 0;
    let count = 0;
    while (from <= text.length) {
      const span = this.find(text, from);
      if (!span) break;
      if (this.vm.steps > budget) throw new RegexBudgetError("the pattern is too costly to replace on this text");
      count++;
      out += text.slice(from, span.start) + replacement;
      // An empty match moves on by one code unit, as String.prototype.replace does.
      if (span.end === span.start) {
        out += text.slice(span.end, span.end + 1);
        from = span.end + 1;
      } else from = span.end;
    }
    return { text: count === 0 ? text : out + text.slice(from), count };
  }

  /** The leftmost match at or after `from`, with JavaScript's choice of end among the alternatives. */
  find(text: string, from = 0, partial = false): MatchSpan | null {
    const { vm } = this;
    const found = vm.run({ input: text, from, endOfText: text.length, partial, anyMatch: false });
    return found ? { start: vm.matchStart, end: vm.matchEnd } : null;
  }
}
