import { assertionsAt, type VmInput } from "./assertions";
import { accepts, firstCandidate, type CompiledProgram } from "./compiled";
import { ClosureCache, REACHES_MATCH } from "./closures";
import { LazyDfa } from "./dfa";

/**
 * The one matcher behind routing's SafeRegex.test and the guardrails' SafePattern: a Pike VM (threads in priority
 * order, each remembering where its match started) that gives JavaScript's leftmost match and its end in one pass,
 * at most program size x text length steps. Its buffers are allocated once per compiled pattern and reused, so a
 * search allocates nothing per position: the Worker runs one search at a time per isolate and a search never calls
 * out, so no two runs share them at once.
 */

class ThreadList {
  readonly pcs: Int32Array;
  readonly starts: Int32Array;
  count = 0;
  constructor(size: number) {
    this.pcs = new Int32Array(size);
    this.starts = new Int32Array(size);
  }
}

export class PikeVm {
  /** Instructions visited since the counter was last reset (replaceAll's linear budget). */
  steps = 0;
  /** The span of the last match found by run(). */
  matchStart = -1;
  matchEnd = -1;
  private readonly seen: Uint32Array;
  private generation = 0;
  private current: ThreadList;
  private next: ThreadList;
  private readonly closures: ClosureCache;
  private readonly dfa: LazyDfa;
  private holdingPos = -1;
  private holdingMask = 0;

  constructor(private readonly program: CompiledProgram) {
    this.seen = new Uint32Array(program.size);
    this.current = new ThreadList(program.size);
    this.next = new ThreadList(program.size);
    this.closures = new ClosureCache(program);
    this.dfa = new LazyDfa(program, this.closures);
  }

  /** True when there is a match at or after `from`; matchStart and matchEnd then hold the leftmost one. */
  run(run: VmInput): boolean {
    if (run.anyMatch) {
      const answer = this.dfa.test(run);
      if (answer !== null) return answer; // else the automaton outgrew its cap: the VM answers
    }
    const { input } = run;
    let matched = false;
    this.current.count = 0;
    this.nextGeneration();
    this.holdingPos = -1;
    for (let pos = run.from; ; pos++) {
      if (!matched) {
        pos = this.skipToCandidate(input, pos);
        if (pos < 0) return false;
        // A new, lowest-priority thread starts here until a match is known (a leading lazy `.*`).
        if (this.addThread(this.current, 0, pos, this.holdingAt(run, pos))) {
          matched = this.found(pos, pos);
          if (run.anyMatch) return true;
        }
      }
      if (pos >= input.length || this.current.count === 0) {
        if (matched || pos >= input.length) return matched;
        this.nextGeneration(); // the next position's start thread must not look seen
        continue;
      }
      if (this.step(input.charCodeAt(pos), pos + 1, this.holdingAt(run, pos + 1))) {
        matched = true;
        if (run.anyMatch) return true;
      }
    }
  }

  /**
   * With nothing alive, the next position whose character can start a match (`pos` itself when threads are alive
   * or any character can start one); -1 when no position left can.
   */
  private skipToCandidate(input: string, pos: number): number {
    const first = this.program.firstAscii;
    if (this.current.count > 0 || !first) return pos;
    const candidate = firstCandidate(input, pos, first);
    if (candidate >= input.length) return -1; // a match needs a character (firstAscii is set)
    // Seen marks were made at the old position: a new generation, or the start thread would look seen.
    if (candidate !== pos) this.nextGeneration();
    return candidate;
  }

  /** The assertions holding at `pos`, worked out once per position (the start thread and a step both ask). */
  private holdingAt(run: VmInput, pos: number): number {
    if (pos !== this.holdingPos) {
      this.holdingPos = pos;
      this.holdingMask = assertionsAt(this.program, run, pos);
    }
    return this.holdingMask;
  }

  /** Advance every thread over `unit`; true when one reaches `match` (the lower-priority ones are then cut). */
  private step(unit: number, nextPos: number, holding: number): boolean {
    const { current, next } = this;
    this.nextGeneration();
    let matched = false;
    for (let i = 0; i < current.count; i++) {
      const pc = current.pcs[i] ?? 0;
      if (!accepts(this.program, pc, unit)) continue;
      const start = current.starts[i] ?? 0;
      if (this.addThread(next, pc + 1, start, holding)) {
        matched = this.found(start, nextPos);
        break;
      }
    }
    this.current = next;
    this.next = current;
    current.count = 0;
    return matched;
  }

  private found(start: number, end: number): true {
    this.matchStart = start;
    this.matchEnd = end;
    return true;
  }

  /** Add the threads `pc` leads to without reading; true when `match` is reachable (the rest is then cut). */
  private addThread(list: ThreadList, pc: number, start: number, holding: number): boolean {
    const closure = this.closures.of(pc, holding);
    const { seen, generation } = this;
    for (let i = 0; i < closure.length; i++) {
      const at = closure[i] ?? REACHES_MATCH;
      this.steps++;
      if (at === REACHES_MATCH) return true;
      if (seen[at] === generation) continue; // a higher-priority thread is already there
      seen[at] = generation;
      list.pcs[list.count] = at;
      list.starts[list.count++] = start;
    }
    return false;
  }

  private nextGeneration(): void {
    if (++this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
  }
}
