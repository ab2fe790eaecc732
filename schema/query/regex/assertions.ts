import {
  HOLDS_END,
  HOLDS_NOT_WORD_BOUNDARY,
  HOLDS_START,
  HOLDS_WORD_BOUNDARY,
  WORD_ASCII,
  type CompiledProgram,
} from "./compiled";

/** What a run reads: the text, where to start, where `$` matches, and whether the text is a prefix of a longer one. */
export interface VmInput {
  readonly input: string;
  readonly from: number;
  /** Where `$` holds: the text's length, or the length of the value it was cut from (routing's cut never matches). */
  readonly endOfText: number;
  /** A streamed prefix: `$`, `\b` and `\B` fail at its very end (they depend on characters not seen yet). */
  readonly partial: boolean;
  /** Stop at the first match found (a yes/no test needs neither the leftmost start nor the end). */
  readonly anyMatch: boolean;
}

const isWordUnit = (unit: number): boolean => unit < 128 && WORD_ASCII[unit] === 1;

/** The HOLDS_* bits of the assertions true at `pos`: the same for every thread, so worked out once per position. */
export function assertionsAt(program: CompiledProgram, run: VmInput, pos: number): number {
  if (!program.hasAssertions) return 0;
  const { input } = run;
  const atStart = pos === 0 ? HOLDS_START : 0;
  if (run.partial && pos === input.length) return atStart;
  const before = pos > 0 && isWordUnit(input.charCodeAt(pos - 1));
  const after = pos < input.length && isWordUnit(input.charCodeAt(pos));
  const boundary = before === after ? HOLDS_NOT_WORD_BOUNDARY : HOLDS_WORD_BOUNDARY;
  return atStart | (pos === run.endOfText ? HOLDS_END : 0) | boundary;
}
