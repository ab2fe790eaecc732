import { assertionsAt, type VmInput } from "./assertions";
import { REACHES_MATCH, type ClosureCache } from "./closures";
import { accepts, firstCandidate, type CompiledProgram } from "./compiled";

/**
 * A yes/no test needs neither thread priorities nor match starts, only the set of live `char` steps, so the sets
 * met while scanning become states of a deterministic automaton, built on first use and cached: after warming up, a
 * character costs two table reads instead of a walk over every live thread. Two kinds of state:
 *
 * - a "closed" state: the live `char` steps at a position (what the Pike VM's thread list holds);
 * - a "kernel": the steps reached right after reading a character (plus the start, as a new match may begin at any
 *   position), before following jumps and assertions: which assertions hold is known only at the next position.
 *
 * States are capped: past MAX_STATES (a pattern whose sets keep changing), test() answers null and the caller runs
 * the Pike VM instead, so the time stays linear whatever the pattern.
 */

const MAX_STATES = 128;
const ASCII = 128;
const MASKS = 16;
const UNKNOWN = -1;
const MATCH = -2;
const GAVE_UP = -3;
/** Characters above ASCII have no table column; their transitions are kept in a map, cleared when it grows. */
const MAX_WIDE_TRANSITIONS = 4096;

class StateSet {
  readonly members: Int32Array[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of this set of program counters (sorted, unique), or GAVE_UP past MAX_STATES. */
  intern(pcs: number[]): number {
    const key = pcs.join(",");
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.members.length >= MAX_STATES) return GAVE_UP;
    this.ids.set(key, this.members.length);
    this.members.push(Int32Array.from(pcs));
    return this.members.length - 1;
  }
}

const sortedUnique = (pcs: Iterable<number>): number[] => [...new Set(pcs)].sort((a, b) => a - b);

export class LazyDfa {
  private readonly kernels = new StateSet();
  private readonly closed = new StateSet();
  /** closed state x ASCII unit -> kernel id. */
  private onUnit = new Int32Array(0);
  /** kernel x assertion mask -> closed state id (or MATCH). */
  private onMask = new Int32Array(0);
  private readonly wide = new Map<number, number>();
  /** Closed states holding the start's steps only (no match under way). */
  private readonly idle: boolean[] = [];

  constructor(
    private readonly program: CompiledProgram,
    private readonly closures: ClosureCache,
  ) {
    this.kernels.intern([0]); // kernel 0: only the start
    this.onMask = grown(this.onMask, MASKS);
  }

  /** Whether there is a match at or after run.from; null when the automaton grew past its cap. */
  test(run: VmInput): boolean | null {
    const { input } = run;
    const first = this.program.firstAscii;
    let state = this.close(0, assertionsAt(this.program, run, run.from));
    for (let pos = run.from; state >= 0 && pos < input.length; pos++) {
      if (first && this.idle[state]) {
        // Only the start is live: characters that cannot begin a match lead back here, so skip them.
        const candidate = firstCandidate(input, pos, first);
        if (candidate >= input.length) return false; // firstAscii is set: a match needs one more character
        if (candidate !== pos) state = this.close(0, assertionsAt(this.program, run, (pos = candidate)));
        if (state < 0) break;
      }
      const kernel = this.kernelAfter(state, input.charCodeAt(pos));
      state = kernel < 0 ? kernel : this.close(kernel, assertionsAt(this.program, run, pos + 1));
    }
    if (state === GAVE_UP) return null;
    return state === MATCH;
  }

  private kernelAfter(state: number, unit: number): number {
    if (unit >= ASCII) return this.wideKernelAfter(state, unit);
    const known = this.onUnit[state * ASCII + unit] ?? UNKNOWN;
    if (known !== UNKNOWN) return known;
    const kernel = this.computeKernel(state, unit);
    this.onUnit[state * ASCII + unit] = kernel;
    return kernel;
  }

  private wideKernelAfter(state: number, unit: number): number {
    const key = state * 0x10000 + unit;
    const known = this.wide.get(key);
    if (known !== undefined) return known;
    if (this.wide.size >= MAX_WIDE_TRANSITIONS) this.wide.clear();
    const kernel = this.computeKernel(state, unit);
    this.wide.set(key, kernel);
    return kernel;
  }

  private close(kernel: number, holding: number): number {
    const known = this.onMask[kernel * MASKS + holding] ?? UNKNOWN;
    if (known !== UNKNOWN) return known;
    const state = this.computeClosed(kernel, holding);
    if (kernel === 0 && state >= 0) this.idle[state] = true;
    this.onMask[kernel * MASKS + holding] = state;
    return state;
  }

  /** The start, and the step after every live `char` step that accepts `unit`. */
  private computeKernel(state: number, unit: number): number {
    const next = [0];
    for (const pc of this.closed.members[state] ?? []) if (accepts(this.program, pc, unit)) next.push(pc + 1);
    const kernel = this.kernels.intern(sortedUnique(next));
    if (kernel >= 0) this.onMask = grown(this.onMask, this.kernels.members.length * MASKS);
    return kernel;
  }

  /** Every `char` step reachable from the kernel under `holding`, or MATCH when `match` is. */
  private computeClosed(kernel: number, holding: number): number {
    const live: number[] = [];
    for (const pc of this.kernels.members[kernel] ?? []) {
      for (const at of this.closures.of(pc, holding)) {
        if (at === REACHES_MATCH) return MATCH;
        live.push(at);
      }
    }
    const state = this.closed.intern(sortedUnique(live));
    if (state >= 0) this.onUnit = grown(this.onUnit, this.closed.members.length * ASCII);
    return state;
  }
}

/** The table with room for `length` entries, new ones UNKNOWN; doubled so that growing stays amortised O(1). */
function grown(table: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  if (table.length >= length) return table;
  const bigger = new Int32Array(Math.max(length, table.length * 2)).fill(UNKNOWN);
  bigger.set(table);
  return bigger;
}
