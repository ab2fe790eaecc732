import { parseRegex, RegexSyntaxError, WORD, type Assertion, type CharSet, type RegexNode } from "./parse";

/**
 * A compiled `$regex`: a Thompson automaton simulated over the input one code unit at a time, so matching costs at
 * most (program size x input length) steps whatever the pattern, with no backtracking. Both factors are capped, so a
 * single `$regex` test costs at most MAX_REGEX_PROGRAM_SIZE x MAX_REGEX_INPUT_LENGTH (~260k) cheap steps:
 * ~15 ms in the very worst case (every state alive at every position), microseconds for the short patterns and
 * values that routing conditions actually use.
 */
export const MAX_REGEX_PATTERN_LENGTH = 256;
/** Instructions after expanding `{n,m}` copies. */
export const MAX_REGEX_PROGRAM_SIZE = 128;
/**
 * Longer values are matched on their first MAX_REGEX_INPUT_LENGTH code units only; `$` never matches inside a cut
 * value, so `^…$` patterns simply do not match values longer than this.
 */
export const MAX_REGEX_INPUT_LENGTH = 2048;

type Instruction =
  | { op: "char"; set: CharSet }
  | { op: "split"; a: number; b: number }
  | { op: "jmp"; to: number }
  | { op: "assert"; assertion: Assertion }
  | { op: "match" };

class Emitter {
  readonly program: Instruction[] = [];

  private push(instruction: Instruction): number {
    if (this.program.length >= MAX_REGEX_PROGRAM_SIZE) {
      throw new RegexSyntaxError(
        `pattern is too complex (more than ${MAX_REGEX_PROGRAM_SIZE} steps once repetitions are expanded)`,
      );
    }
    this.program.push(instruction);
    return this.program.length - 1;
  }

  private get next(): number {
    return this.program.length;
  }

  emit(node: RegexNode): void {
    switch (node.kind) {
      case "set":
        this.push({ op: "char", set: node.set });
        return;
      case "assert":
        this.push({ op: "assert", assertion: node.assertion });
        return;
      case "seq":
        for (const item of node.items) this.emit(item);
        return;
      case "alt":
        return this.alternation(node.items);
      case "repeat":
        return this.repeat(node.item, node.min, node.max);
    }
  }

  private alternation(items: RegexNode[]): void {
    const exits: number[] = [];
    items.forEach((item, i) => {
      if (i === items.length - 1) return this.emit(item);
      const split = this.push({ op: "split", a: this.next + 1, b: -1 });
      this.emit(item);
      exits.push(this.push({ op: "jmp", to: -1 }));
      this.program[split] = { op: "split", a: split + 1, b: this.next };
    });
    for (const exit of exits) this.program[exit] = { op: "jmp", to: this.next };
  }

  private repeat(item: RegexNode, min: number, max: number): void {
    for (let i = 0; i < min; i++) this.emit(item);
    if (max === Infinity) {
      const loop = this.push({ op: "split", a: -1, b: -1 });
      this.emit(item);
      this.push({ op: "jmp", to: loop });
      this.program[loop] = { op: "split", a: loop + 1, b: this.next };
      return;
    }
    // Optional copies: skipping one skips the rest, so every split jumps to the common end.
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      splits.push(this.push({ op: "split", a: -1, b: -1 }));
      this.emit(item);
    }
    for (const split of splits) this.program[split] = { op: "split", a: split + 1, b: this.next };
  }
}

function inSet(set: CharSet, unit: number): boolean {
  for (const [lo, hi] of set) {
    if (unit < lo) return false;
    if (unit <= hi) return true;
  }
  return false;
}

const isWord = (input: string, index: number) =>
  index >= 0 && index < input.length && inSet(WORD, input.charCodeAt(index));

function holds(assertion: Assertion, input: string, pos: number, fullLength: number): boolean {
  switch (assertion) {
    case "start":
      return pos === 0;
    case "end":
      return pos === fullLength;
    case "word_boundary":
      return isWord(input, pos - 1) !== isWord(input, pos);
    case "not_word_boundary":
      return isWord(input, pos - 1) === isWord(input, pos);
  }
}

export class SafeRegex {
  constructor(
    readonly source: string,
    private readonly program: readonly Instruction[],
  ) {}

  /** Like RegExp.prototype.test (no flags), in time linear in the input. */
  test(value: string): boolean {
    const input = value.length > MAX_REGEX_INPUT_LENGTH ? value.slice(0, MAX_REGEX_INPUT_LENGTH) : value;
    const size = this.program.length;
    const seen = new Uint32Array(size);
    let generation = 0;
    let current: number[] = [];
    let next: number[] = [];
    const stack: number[] = [];

    // Follow jumps, splits and assertions from `start`; collect the "char" steps reachable at `pos`.
    const addThread = (list: number[], start: number, pos: number): boolean => {
      stack.push(start);
      while (stack.length > 0) {
        const pc = stack.pop() ?? 0;
        if (seen[pc] === generation) continue;
        seen[pc] = generation;
        const instruction = this.program[pc];
        if (!instruction) continue;
        if (instruction.op === "match") {
          stack.length = 0;
          return true;
        }
        if (instruction.op === "char") list.push(pc);
        else if (instruction.op === "jmp") stack.push(instruction.to);
        else if (instruction.op === "split") stack.push(instruction.b, instruction.a);
        else if (holds(instruction.assertion, input, pos, value.length)) stack.push(pc + 1);
      }
      return false;
    };

    generation++;
    for (let pos = 0; ; pos++) {
      // An unanchored search: a new thread starts at every position (like a leading lazy `.*`).
      if (addThread(current, 0, pos)) return true;
      if (pos >= input.length) return false;
      const unit = input.charCodeAt(pos);
      generation++;
      for (const pc of current) {
        const instruction = this.program[pc];
        if (instruction?.op === "char" && inSet(instruction.set, unit) && addThread(next, pc + 1, pos + 1)) return true;
      }
      [current, next] = [next, current];
      next.length = 0;
    }
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
    const emitter = new Emitter();
    emitter.emit(parseRegex(pattern));
    emitter.program.push({ op: "match" });
    return { ok: true, regex: new SafeRegex(pattern, emitter.program) };
  } catch (error) {
    if (error instanceof RegexSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}
