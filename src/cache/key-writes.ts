import { cacheRuntime, sleep, within } from "./runtime";

/** Resolves true when it wrote. */
type Write = () => Promise<boolean>;

interface Slot {
  busy: boolean;
  /** performance.now() after which the key may be written again. */
  freeAt: number;
  /** Settles (never rejects) when the running write is over, or given up on. */
  current: Promise<unknown>;
  queued: { write: Write; done: Promise<boolean> } | null;
}

/** Keys written lately by this isolate. Idle slots are dropped once this many exist. */
const MAX_SLOTS = 1_000;
const slots = new Map<string, Slot>();

// The real clock, not cacheRuntime.now: tests freeze that one to age entries, and KV's limit is in real time.
const clock = (): number => performance.now();

function prune(): void {
  if (slots.size < MAX_SLOTS) return;
  const now = clock();
  for (const [key, slot] of slots) if (!slot.busy && !slot.queued && slot.freeAt <= now) slots.delete(key);
}

/**
 * A write runs in its request's waitUntil; if that is cancelled (its 30 s ran out) the write may never settle. Past
 * this long the key counts as free again, so one lost write cannot block a key for the isolate's lifetime.
 */
const STALE_WRITE_MS = 30_000;

function start(slot: Slot, write: Write): Promise<boolean> {
  const done = write();
  const settled = within(
    done.then(
      () => undefined,
      () => undefined,
    ),
    STALE_WRITE_MS,
    undefined,
  );
  const current: Promise<void> = settled.then(() => {
    if (slot.current !== current) return; // a later write owns the slot
    slot.busy = false;
    slot.freeAt = clock() + cacheRuntime.keyWriteSpacingMs;
  });
  slot.busy = true;
  slot.current = current;
  return done;
}

/**
 * At most one KV write per key at a time from this isolate, and none within keyWriteSpacingMs of the last: KV
 * accepts one write per key per second and fails the others, and concurrent identical misses would all store the
 * same answer. `replace: false` (a MISS storing its answer): a key being written, or written just now, already
 * holds an answer to this very request, so the write is dropped (false). `replace: true` (a REFRESH, which must
 * land): it waits for its turn; of several waiting, the last one wins and the earlier ones share its result.
 */
export function writeKeyOnce(key: string, write: Write, replace: boolean): Promise<boolean> {
  let slot = slots.get(key);
  if (!slot) {
    prune();
    slot = { busy: false, freeAt: 0, current: Promise.resolve(), queued: null };
    slots.set(key, slot);
  }
  if (!slot.busy && !slot.queued && clock() >= slot.freeAt) return start(slot, write);
  if (!replace) return Promise.resolve(false);
  if (slot.queued) {
    slot.queued.write = write;
    return slot.queued.done;
  }
  const waiting = slot;
  const queued = { write, done: Promise.resolve(false) };
  queued.done = waiting.current
    .then(() => sleep(Math.max(0, waiting.freeAt - clock())))
    .then(() => {
      waiting.queued = null;
      return start(waiting, queued.write);
    });
  waiting.queued = queued;
  return queued.done;
}
