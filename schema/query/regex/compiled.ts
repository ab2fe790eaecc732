import { inSet, type Instruction } from "./instructions";
import { WORD, type Assertion, type CharSet } from "./parse";

/**
 * The instruction list (instructions.ts) flattened into typed arrays for the matcher (vm.ts). Reading an object per
 * step, testing a character against sorted ranges and naming assertions by strings was most of the engine's CPU;
 * here an opcode is a byte, an ASCII character test is one table read, and an assertion is a bit that the matcher
 * works out once per position for every thread.
 */

export const OP_CHAR = 0;
export const OP_SPLIT = 1;
export const OP_JMP = 2;
export const OP_ASSERT = 3;
export const OP_MATCH = 4;

/** Assertion bits: the matcher computes, once per position, the mask of those that hold there. */
export const HOLDS_START = 1;
export const HOLDS_END = 2;
export const HOLDS_WORD_BOUNDARY = 4;
export const HOLDS_NOT_WORD_BOUNDARY = 8;

const ASSERTION_BITS: Record<Assertion, number> = {
  start: HOLDS_START,
  end: HOLDS_END,
  word_boundary: HOLDS_WORD_BOUNDARY,
  not_word_boundary: HOLDS_NOT_WORD_BOUNDARY,
};

const ASCII = 128;

export interface CompiledProgram {
  readonly size: number;
  readonly ops: Uint8Array;
  /** `split`: the preferred branch; `jmp`: the target; `assert`: its HOLDS_* bit. */
  readonly argA: Int32Array;
  /** `split`: the other branch. */
  readonly argB: Int32Array;
  /** `ascii[pc * 128 + unit]` is 1 when the `char` step at `pc` accepts that ASCII unit. */
  readonly ascii: Uint8Array;
  /** The full set of each `char` step, read only for units above ASCII. */
  readonly sets: readonly (CharSet | null)[];
  readonly hasAssertions: boolean;
  /** ASCII units that can start a match (assertions taken as passing, so a superset); null when any can. */
  readonly firstAscii: Uint8Array | null;
}

/** 1 for `\w` units: WORD is ASCII only, so `\b` is a table read on both sides. */
export const WORD_ASCII = asciiTable(WORD);

function asciiTable(set: CharSet): Uint8Array {
  const table = new Uint8Array(ASCII);
  for (let unit = 0; unit < ASCII; unit++) table[unit] = inSet(set, unit) ? 1 : 0;
  return table;
}

export function compileProgram(program: readonly Instruction[]): CompiledProgram {
  const size = program.length;
  const ops = new Uint8Array(size);
  const argA = new Int32Array(size);
  const argB = new Int32Array(size);
  const ascii = new Uint8Array(size * ASCII);
  const sets: (CharSet | null)[] = [];
  program.forEach((instruction, pc) => {
    sets.push(instruction.op === "char" ? instruction.set : null);
    if (instruction.op === "char") {
      ops[pc] = OP_CHAR;
      ascii.set(asciiTable(instruction.set), pc * ASCII);
    } else if (instruction.op === "split") {
      ops[pc] = OP_SPLIT;
      argA[pc] = instruction.a;
      argB[pc] = instruction.b;
    } else if (instruction.op === "jmp") {
      ops[pc] = OP_JMP;
      argA[pc] = instruction.to;
    } else if (instruction.op === "assert") {
      ops[pc] = OP_ASSERT;
      argA[pc] = ASSERTION_BITS[instruction.assertion];
    } else ops[pc] = OP_MATCH;
  });
  const hasAssertions = program.some((instruction) => instruction.op === "assert");
  const compiled = { size, ops, argA, argB, ascii, sets, hasAssertions, firstAscii: null };
  return { ...compiled, firstAscii: firstAsciiUnits(compiled) };
}

/**
 * The ASCII units a match can start with: the union of the `char` steps reachable from the start without reading
 * a character. Null when the start can reach `match` without reading one (an empty match is possible anywhere, so
 * no position may be skipped).
 */
function firstAsciiUnits(program: CompiledProgram): Uint8Array | null {
  const first = new Uint8Array(ASCII);
  const visited = new Uint8Array(program.size);
  const stack = [0];
  for (let pc = stack.pop(); pc !== undefined; pc = stack.pop()) {
    if (visited[pc]) continue;
    visited[pc] = 1;
    const op = program.ops[pc];
    if (op === OP_MATCH) return null;
    if (op === OP_CHAR) {
      for (let unit = 0; unit < ASCII; unit++) if (program.ascii[pc * ASCII + unit] === 1) first[unit] = 1;
    } else if (op === OP_SPLIT) stack.push(program.argB[pc] ?? 0, program.argA[pc] ?? 0);
    else if (op === OP_JMP) stack.push(program.argA[pc] ?? 0);
    else stack.push(pc + 1);
  }
  return first;
}

/** Whether the `char` step at `pc` accepts `unit`. */
export function accepts(program: CompiledProgram, pc: number, unit: number): boolean {
  if (unit < ASCII) return program.ascii[pc * ASCII + unit] === 1;
  const set = program.sets[pc];
  return set ? inSet(set, unit) : false;
}

/** The first position at or after `pos` whose character can start a match (the text's length when none can). */
export function firstCandidate(input: string, pos: number, first: Uint8Array): number {
  for (; pos < input.length; pos++) {
    const unit = input.charCodeAt(pos);
    if (unit >= ASCII || first[unit] === 1) return pos;
  }
  return pos;
}
