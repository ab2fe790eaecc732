import { RegexSyntaxError, type Assertion, type CharSet, type RegexNode } from "./parse";

/**
 * The instruction set of routing's SafeRegex (program.ts) and the guardrails' SafePattern (search.ts), and the one
 * emitter that turns a parsed pattern into it; compiled.ts flattens it for the matchers (vm.ts, dfa.ts).
 */

/** Instructions after expanding `{n,m}` copies. */
export const MAX_REGEX_PROGRAM_SIZE = 128;

export type Instruction =
  | { op: "char"; set: CharSet }
  | { op: "split"; a: number; b: number }
  | { op: "jmp"; to: number }
  | { op: "assert"; assertion: Assertion }
  | { op: "match" };

/** The program of a parsed pattern, ending in `match`; throws RegexSyntaxError past MAX_REGEX_PROGRAM_SIZE. */
export function emitProgram(node: RegexNode): Instruction[] {
  const emitter = new Emitter();
  emitter.emit(node);
  emitter.program.push({ op: "match" });
  return emitter.program;
}

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
        return this.repeat(node.item, node.min, node.max, node.lazy);
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

  private repeat(item: RegexNode, min: number, max: number, lazy: boolean): void {
    for (let i = 0; i < min; i++) this.emit(item);
    if (max === Infinity) {
      const loop = this.push({ op: "split", a: -1, b: -1 });
      this.emit(item);
      this.push({ op: "jmp", to: loop });
      this.program[loop] = repeatChoice(loop + 1, this.next, lazy);
      return;
    }
    // Optional copies: skipping one skips the rest, so every split jumps to the common end.
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      splits.push(this.push({ op: "split", a: -1, b: -1 }));
      this.emit(item);
    }
    for (const split of splits) this.program[split] = repeatChoice(split + 1, this.next, lazy);
  }
}

/**
 * The split before one more copy of a repeated item. `a` is the branch the matchers try first (the higher-priority
 * thread), so a greedy repeat prefers another copy and a lazy one prefers leaving: the same two branches, so the
 * yes/no answer and the linear cost are the same; only which match JavaScript would report changes.
 */
function repeatChoice(another: number, leave: number, lazy: boolean): Instruction {
  return lazy ? { op: "split", a: leave, b: another } : { op: "split", a: another, b: leave };
}

export function inSet(set: CharSet, unit: number): boolean {
  for (const [lo, hi] of set) {
    if (unit < lo) return false;
    if (unit <= hi) return true;
  }
  return false;
}
