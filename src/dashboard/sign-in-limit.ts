import type { DashboardContext } from "./context";

/**
 * Failed sign-ins per client IP: SIGN_IN_MAX_FAILURES within SIGN_IN_WINDOW_MS, then every sign-in from that IP
 * (the right token included) gets 429 until the oldest failure leaves the window. Refusing the right token too
 * keeps the lockout from being an oracle: during it, a guess learns nothing. A successful sign-in is not counted.
 *
 * Storage: KV (binding CACHE, key `sl1:<SHA-256 of the IP>`, the failure times, expiring with the window): one read
 * per sign-in post and one write per failure, nothing on any other page. KV is eventually consistent across
 * locations (up to about 60 s), so each isolate also keeps the failures it saw itself and takes the larger list:
 * repeated tries through one location are refused at once, a spread-out attacker gets a few extra tries at most.
 */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

/** Without CF-Connecting-IP (wrangler dev, tests) every caller shares this one bucket. */
const LOCAL_CLIENT = "local-client";
const MAX_TRACKED = 5_000;
const seenHere = new Map<string, number[]>();

const clientIp = (c: DashboardContext): string => c.req.header("cf-connecting-ip")?.trim() || LOCAL_CLIENT;

async function bucketOf(c: DashboardContext): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`sign-in:${clientIp(c)}`));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `sl1:${hex.slice(0, 32)}`; // the IP itself is never stored
}

const recent = (times: unknown, now: number): number[] =>
  Array.isArray(times)
    ? times.filter((t): t is number => typeof t === "number" && t > now - SIGN_IN_WINDOW_MS && t <= now)
    : [];

async function failuresOf(c: DashboardContext, bucket: string, now: number): Promise<number[]> {
  const stored = recent(await c.env.CACHE.get(bucket, "json").catch(() => null), now);
  const local = recent(seenHere.get(bucket), now);
  return (stored.length >= local.length ? stored : local).sort((a, b) => a - b);
}

/** Seconds until this client may try again, or null when it may try now. */
export async function signInLockout(c: DashboardContext, now = Date.now()): Promise<number | null> {
  const failures = await failuresOf(c, await bucketOf(c), now);
  if (failures.length < SIGN_IN_MAX_FAILURES) return null;
  const oldest = failures[failures.length - SIGN_IN_MAX_FAILURES] ?? now;
  return Math.max(1, Math.ceil((oldest + SIGN_IN_WINDOW_MS - now) / 1000));
}

/** Counts one failed sign-in of this client (a wrong token or a scope that opens nothing). */
export async function recordSignInFailure(c: DashboardContext, now = Date.now()): Promise<void> {
  const bucket = await bucketOf(c);
  const failures = [...(await failuresOf(c, bucket, now)), now].slice(-SIGN_IN_MAX_FAILURES * 2);
  seenHere.set(bucket, failures);
  if (seenHere.size > MAX_TRACKED) seenHere.delete(seenHere.keys().next().value ?? bucket);
  // KV's smallest TTL is 60 s; the entry lives as long as its newest failure counts.
  await c.env.CACHE.put(bucket, JSON.stringify(failures), { expirationTtl: Math.ceil(SIGN_IN_WINDOW_MS / 1000) });
}
