import { OP_ASSERT, OP_CHAR, OP_JMP, OP_MATCH, OP_SPLIT, type CompiledProgram } from "./compiled";

/** Ends a closure that reaches `match`: what follows it has a lower priority and is cut. */
export const REACHES_MATCH = -1;

/** Assertion masks are 4 bits (compiled.ts's HOLDS_*). */
const MASKS = 16;

/**
 * The `char` steps reachable from an instruction without reading a character, in priority order, for one mask of
 * holding assertions. Following splits and jumps again for every thread at every position was most of the
 * matcher's work; the answer depends only on (instruction, mask), so it is worked out once, on first use.
 *
 * Skipping the entries already added at a position gives the very list a fresh walk would give: the instructions
 * already walked at that position had all their successors walked too, with the same mask.
 */
export class ClosureCache {
  private readonly closures: (Int32Array | undefined)[];
  private readonly visited: Uint8Array;

  constructor(private readonly program: CompiledProgram) {
    this.closures = new Array<Int32Array | undefined>(program.size * MASKS);
    this.visited = new Uint8Array(program.size);
  }

  /** The closure of `pc` when the assertions in `holding` hold; ends with REACHES_MATCH when `match` is reached. */
  of(pc: number, holding: number): Int32Array {
    const key = pc * MASKS + holding;
    const cached = this.closures[key];
    if (cached) return cached;
    const closure = this.walk(pc, holding);
    this.closures[key] = closure;
    return closure;
  }

  private walk(from: number, holding: number): Int32Array {
    const { ops, argA, argB } = this.program;
    const out: number[] = [];
    this.visited.fill(0);
    const stack = [from];
    for (let pc = stack.pop(); pc !== undefined; pc = stack.pop()) {
      if (this.visited[pc]) continue;
      this.visited[pc] = 1;
      const op = ops[pc];
      if (op === OP_MATCH) {
        out.push(REACHES_MATCH);
        break;
      }
      if (op === OP_CHAR) out.push(pc);
      else if (op === OP_SPLIT) stack.push(argB[pc] ?? 0, argA[pc] ?? 0);
      else if (op === OP_JMP) stack.push(argA[pc] ?? 0);
      else if (op === OP_ASSERT && holding & (argA[pc] ?? 0)) stack.push(pc + 1);
    }
    return Int32Array.from(out);
  }
}
