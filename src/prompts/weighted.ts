import type { LabelShare } from "./types";

/**
 * The weighted choice of a label's version. Sticky per end user: the draw is a hash of (prompt, label, user), so a
 * user keeps seeing one variant for as long as the split stays the same; without a user it is random.
 */

/** A number in [0, 1). */
export type RandomSource = () => number;

/**
 * FNV-1a (32 bits) with MurmurHash3's finalizer: cheap, no crypto needed (nothing here is secret). The finalizer
 * matters: plain FNV-1a barely moves the high bits for keys that differ only in their last character (`user-1`,
 * `user-2`), which would put such users on the same side of every split.
 */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The user's fixed point in [0, 1) for one label of one prompt. */
export function stickyDraw(promptId: string, label: string, user: string): number {
  return hash32(`${promptId}\u0000${label}\u0000${user}`) / 0x1_0000_0000;
}

/** The version whose cumulative weight band holds `draw` (in [0, 1)); zero weights are never chosen. */
export function chooseShare(shares: readonly LabelShare[], draw: number): number {
  const total = shares.reduce((sum, share) => sum + Math.max(0, share.weight), 0);
  let cumulative = 0;
  let last: number | undefined;
  for (const share of shares) {
    if (share.weight <= 0) continue;
    cumulative += share.weight;
    last = share.version;
    if (draw * total < cumulative) return share.version;
  }
  // Only reached through rounding at draw ~ 1 (or no positive weight, which validation forbids).
  if (last === undefined) throw new Error("a label split without a positive weight");
  return last;
}

/** A label's version for this request: its only version, else a weighted draw (sticky when `user` is known). */
export function chooseVersion(
  promptId: string,
  label: string,
  shares: readonly LabelShare[],
  user: string | null,
  random: RandomSource,
): number {
  const [only] = shares;
  if (shares.length === 1 && only) return only.version;
  return chooseShare(shares, user === null ? random() : stickyDraw(promptId, label, user));
}
