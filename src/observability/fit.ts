import { logEventSchema, type LogEvent } from "./event";
import { clip } from "./limits";

/** Queue messages are limited to 128 KB; leave room for the envelope. */
export const MAX_EVENT_BYTES = 120_000;
const MAX_METADATA_VALUE_CHARS = 256;
const MAX_ATTEMPTS_WHEN_OVERSIZED = 20;
/**
 * Last resort: every string is cut to the first of these lengths that makes the event fit. The smallest keeps
 * enum values whole (`circuit_open`, `embeddings`); the event's own ids are never cut (the schema bounds them).
 */
const LAST_RESORT_CHARS = [4096, 1024, 256, 64, 16];
const UNCLIPPED: ReadonlySet<string> = new Set(["id", "trace_id", "traceparent"]);

const encoder = new TextEncoder();

/** `value` with every string (object keys included) cut to `max`. */
function clipStrings(value: unknown, max: number): unknown {
  if (typeof value === "string") return clip(value, max);
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, max));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [clip(k, max), clipStrings(v, max)]));
}

function clipEveryString(event: LogEvent, max: number): LogEvent {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) out[key] = UNCLIPPED.has(key) ? value : clipStrings(value, max);
  // Same shape, strings only shorter: still a LogEvent.
  return out as LogEvent;
}

/**
 * An event that fits in one message: bodies go first (the event is worth more than its bodies, and `truncated`
 * says they were dropped), then long metadata values and a long attempt trail, then, whatever is still too long
 * (a 100 KB model name, a huge user id), every string. A request is never left unlogged for being unusual.
 * Returned with its JSON text and size in bytes: sent as text, it is serialised once, here, not again by the queue.
 */
export function fitted(event: LogEvent): { event: LogEvent; text: string; bytes: number } {
  const sized = (candidate: LogEvent) => {
    const text = JSON.stringify(candidate);
    return { event: candidate, text, bytes: encoder.encode(text).byteLength };
  };
  let current = sized(event);
  if (current.bytes <= MAX_EVENT_BYTES) return current;
  if (event.bodies) current = sized({ ...event, bodies: { request: null, response: null, truncated: true } });
  if (current.bytes <= MAX_EVENT_BYTES) return current;
  const metadata = Object.fromEntries(
    Object.entries(current.event.metadata).map(([k, v]) => [k, clip(v, MAX_METADATA_VALUE_CHARS)]),
  );
  current = sized({ ...current.event, metadata, attempts: current.event.attempts.slice(-MAX_ATTEMPTS_WHEN_OVERSIZED) });
  for (const max of LAST_RESORT_CHARS) {
    if (current.bytes <= MAX_EVENT_BYTES) return current;
    current = sized(clipEveryString(current.event, max));
  }
  return current;
}

/** Sets `value` at `path` inside `root` (the path of a schema issue). */
function shortenAt(root: unknown, path: readonly PropertyKey[], max: number): void {
  let parent: unknown = root;
  for (const key of path.slice(0, -1))
    parent = typeof parent === "object" && parent !== null ? (parent as Record<PropertyKey, unknown>)[key] : undefined;
  const last = path.at(-1);
  if (typeof parent !== "object" || parent === null || last === undefined) return;
  const holder = parent as Record<PropertyKey, unknown>;
  const value = holder[last];
  if (typeof value === "string") holder[last] = clip(value, max);
  else if (Array.isArray(value)) holder[last] = value.slice(0, max);
}

/**
 * A queue message as the consumer's schema accepts it, or null. A string or list over a limit the builder missed
 * is cut to that limit rather than losing the whole event; anything else wrong is a bug, reported (by event id,
 * never content: it may hold bodies) by the caller. Run by the consumer, which validates every message anyway,
 * and not by the producer: validating each event twice cost every request ~0.07 ms of CPU (bench/ profile).
 */
export function conformEvent(body: unknown): LogEvent | null {
  const first = logEventSchema.safeParse(body);
  if (first.success) return first.data;
  if (typeof body !== "object" || body === null) return null;
  const repaired = structuredClone(body);
  for (const issue of first.error.issues) {
    if (issue.code === "too_big" && (issue.origin === "string" || issue.origin === "array"))
      shortenAt(repaired, issue.path, Number(issue.maximum));
  }
  const second = logEventSchema.safeParse(repaired);
  return second.success ? second.data : null;
}

/** Why a message is not a valid event: the first schema issue, as `path: message`. */
export function invalidReason(body: unknown): string {
  const issue = logEventSchema.safeParse(body).error?.issues[0];
  return issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
}
