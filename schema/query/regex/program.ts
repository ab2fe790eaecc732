import { compileProgram, type CompiledProgram } from "./compiled";
import { emitProgram, MAX_REGEX_PROGRAM_SIZE, type Instruction } from "./instructions";
import { parseRegex, RegexSyntaxError } from "./parse";
import { PikeVm } from "./vm";

/**
 * A compiled `$regex`: a Thompson automaton simulated over the input one code unit at a time, so matching costs at
 * most (program size x input length) steps whatever the pattern, with no backtracking. Both factors are capped, so a
 * single `$regex` test costs at most MAX_REGEX_PROGRAM_SIZE x MAX_REGEX_INPUT_LENGTH (~260k) cheap steps:
 * ~15 ms in the very worst case (every state alive at every position), microseconds for the short patterns and
 * values that routing conditions actually use.
 */
export const MAX_REGEX_PATTERN_LENGTH = 256;
export { MAX_REGEX_PROGRAM_SIZE };
/**
 * Longer values are matched on their first MAX_REGEX_INPUT_LENGTH code units only; `$` never matches inside a cut
 * value, so `^…$` patterns simply do not match values longer than this.
 */
export const MAX_REGEX_INPUT_LENGTH = 2048;

export class SafeRegex {
  /** The flattened program (compiled.ts); search.ts's SafePattern runs it too. */
  readonly compiled: CompiledProgram;
  private readonly vm: PikeVm;

  constructor(
    readonly source: string,
    /** Also run by search.ts's SafePattern, so a pattern is parsed and emitted once. */
    readonly program: readonly Instruction[],
  ) {
    this.compiled = compileProgram(program);
    this.vm = new PikeVm(this.compiled);
  }

  /** Like RegExp.prototype.test (no flags), in time linear in the input. */
  test(value: string): boolean {
    const input = value.length > MAX_REGEX_INPUT_LENGTH ? value.slice(0, MAX_REGEX_INPUT_LENGTH) : value;
    return this.vm.run({ input, from: 0, endOfText: value.length, partial: false, anyMatch: true });
  }
}

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; reason: string };

/** Compile a `$regex` pattern, or say in a few words why it is refused. */
export function compileSafeRegex(pattern: string): CompiledRegex {
  if (pattern.length > MAX_REGEX_PATTERN_LENGTH) {
    return { ok: false, reason: `pattern is longer than ${MAX_REGEX_PATTERN_LENGTH} characters` };
  }
  try {
    // Anything JavaScript itself rejects is refused with its own explanation first.
    new RegExp(pattern);
  } catch (error) {
    return {
      ok: false,
      reason: `invalid regular expression (${error instanceof Error ? error.message : "syntax error"})`,
    };
  }
  try {
    return { ok: true, regex: new SafeRegex(pattern, emitProgram(parseRegex(pattern))) };
  } catch (error) {
    if (error instanceof RegexSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}
