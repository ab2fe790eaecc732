import { parseRegex, WORD, type Assertion, type CharSet, type RegexNode } from "./parse";
import { compileSafeRegex } from "./program";

/**
 * Searching with the same regular-expression subset as `$regex` (parse.ts), for guardrails: unlike SafeRegex.test,
 * it scans the whole text (no 2,048-unit cut: a guardrail must see every character) and reports where a match is,
 * so a mutator can replace it. A Pike VM (threads in priority order, each remembering where it started) gives
 * JavaScript's leftmost match and its end in one pass: cost is at most program size x text length per search.
 *
 * Patterns are validated by compileSafeRegex first, so the program-size and pattern-length caps are the same as for
 * routing. The emitter below mirrors program.ts's (kept private there); sharing it is a follow-up.
 */

type Instruction =
  | { op: "char"; set: CharSet }
  | { op: "split"; a: number; b: number }
  | { op: "jmp"; to: number }
  | { op: "assert"; assertion: Assertion }
  | { op: "match" };

export interface MatchSpan {
  start: number;
  end: number;
}

/** Thrown when replacing every match would cost more than a linear budget (only pathological pattern/text pairs). */
export class RegexBudgetError extends Error {}

/** Steps allowed per code unit of text when finding every match (replaceAll), beyond a fixed allowance. */
const STEPS_PER_UNIT = 512;
const BASE_STEPS = 1_000_000;

function emit(node: RegexNode, program: Instruction[]): void {
  const at = () => program.length;
  switch (node.kind) {
    case "set":
      program.push({ op: "char", set: node.set });
      return;
    case "assert":
      program.push({ op: "assert", assertion: node.assertion });
      return;
    case "seq":
      for (const item of node.items) emit(item, program);
      return;
    case "alt": {
      const exits: number[] = [];
      node.items.forEach((item, i) => {
        if (i === node.items.length - 1) return emit(item, program);
        const split = program.push({ op: "split", a: at() + 1, b: -1 }) - 1;
        emit(item, program);
        exits.push(program.push({ op: "jmp", to: -1 }) - 1);
        program[split] = { op: "split", a: split + 1, b: at() };
      });
      for (const exit of exits) program[exit] = { op: "jmp", to: at() };
      return;
    }
    case "repeat":
      return emitRepeat(node.item, node.min, node.max, program);
  }
}

function emitRepeat(item: RegexNode, min: number, max: number, program: Instruction[]): void {
  for (let i = 0; i < min; i++) emit(item, program);
  if (max === Infinity) {
    const loop = program.push({ op: "split", a: -1, b: -1 }) - 1;
    emit(item, program);
    program.push({ op: "jmp", to: loop });
    program[loop] = { op: "split", a: loop + 1, b: program.length };
    return;
  }
  const splits: number[] = [];
  for (let i = min; i < max; i++) {
    splits.push(program.push({ op: "split", a: -1, b: -1 }) - 1);
    emit(item, program);
  }
  for (const split of splits) program[split] = { op: "split", a: split + 1, b: program.length };
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

/**
 * `partial`: the text is a prefix of a longer one (a streamed answer so far). `$`, `\b` and `\B` at its very end
 * depend on characters not seen yet, so they fail there: a match found in a prefix is then a match in every
 * continuation of it.
 */
function holds(assertion: Assertion, input: string, pos: number, partial: boolean): boolean {
  if (partial && pos === input.length && assertion !== "start") return false;
  switch (assertion) {
    case "start":
      return pos === 0;
    case "end":
      return pos === input.length;
    case "word_boundary":
      return isWord(input, pos - 1) !== isWord(input, pos);
    case "not_word_boundary":
      return isWord(input, pos - 1) === isWord(input, pos);
  }
}

/** Threads of one step: program counters in priority order and where each thread's match started. */
class ThreadList {
  readonly pcs: number[] = [];
  readonly starts: number[] = [];
  clear(): void {
    this.pcs.length = 0;
    this.starts.length = 0;
  }
}

interface SearchState {
  input: string;
  partial: boolean;
  seen: Uint32Array;
  generation: number;
  steps: number;
}

export class SafePattern {
  private constructor(
    readonly source: string,
    private readonly program: readonly Instruction[],
  ) {}

  /** Compile a pattern, or say in a few words why it is refused (the same rules as routing's `$regex`). */
  static compile(pattern: string): { ok: true; pattern: SafePattern } | { ok: false; reason: string } {
    const checked = compileSafeRegex(pattern);
    if (!checked.ok) return checked;
    const program: Instruction[] = [];
    emit(parseRegex(pattern), program);
    program.push({ op: "match" });
    return { ok: true, pattern: new SafePattern(pattern, program) };
  }

  /** Like RegExp.prototype.test without flags, over the whole text, in linear time. */
  test(text: string, options: { partial?: boolean } = {}): boolean {
    return this.find(text, 0, options.partial ?? false) !== null;
  }

  /** Every non-overlapping match replaced by `replacement` (taken literally), and how many there were. */
  replaceAll(text: string, replacement: string): { text: string; count: number } {
    const budget = BASE_STEPS + STEPS_PER_UNIT * text.length;
    const state = this.newState(text, false);
    let out = "";
    let from = 0;
    let count = 0;
    while (from <= text.length) {
      const span = this.search(state, from);
      if (!span) break;
      if (state.steps > budget) throw new RegexBudgetError("the pattern is too costly to replace on this text");
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
    return this.search(this.newState(text, partial), from);
  }

  private newState(input: string, partial: boolean): SearchState {
    return { input, partial, seen: new Uint32Array(this.program.length), generation: 0, steps: 0 };
  }

  private search(state: SearchState, from: number): MatchSpan | null {
    const { input } = state;
    let current = new ThreadList();
    let next = new ThreadList();
    let matched: MatchSpan | null = null;
    state.generation++;
    for (let pos = from; ; pos++) {
      // A new, lowest-priority thread starts here until a match is known (a leading lazy `.*`).
      if (!matched && this.addThread(state, current, 0, pos, pos)) matched = { start: pos, end: pos };
      if (pos >= input.length || current.pcs.length === 0) {
        if (matched || pos >= input.length) return matched;
        // Nothing alive: the next position starts afresh (a new generation, or its start thread would look seen).
        state.generation++;
        continue;
      }
      const unit = input.charCodeAt(pos);
      state.generation++;
      for (let i = 0; i < current.pcs.length; i++) {
        const instruction = this.program[current.pcs[i] ?? 0];
        const start = current.starts[i] ?? pos;
        if (instruction?.op !== "char" || !inSet(instruction.set, unit)) continue;
        // A thread that matches cuts every lower-priority thread, as a backtracking engine would never try them.
        if (this.addThread(state, next, (current.pcs[i] ?? 0) + 1, pos + 1, start)) {
          matched = { start, end: pos + 1 };
          break;
        }
      }
      [current, next] = [next, current];
      next.clear();
    }
  }

  /** Follow jumps, splits and assertions from `pc`; true when `match` is reachable (the rest is then cut). */
  private addThread(state: SearchState, list: ThreadList, pc: number, pos: number, start: number): boolean {
    const stack = [pc];
    while (stack.length > 0) {
      const at = stack.pop() ?? 0;
      state.steps++;
      if (state.seen[at] === state.generation) continue;
      state.seen[at] = state.generation;
      const instruction = this.program[at];
      if (!instruction) continue;
      if (instruction.op === "match") return true;
      if (instruction.op === "char") {
        list.pcs.push(at);
        list.starts.push(start);
      } else if (instruction.op === "jmp") stack.push(instruction.to);
      else if (instruction.op === "split") stack.push(instruction.b, instruction.a);
      else if (holds(instruction.assertion, state.input, pos, state.partial)) stack.push(at + 1);
    }
    return false;
  }
}
