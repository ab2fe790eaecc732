/**
 * How long the strings of a log event may be. The event schema (event.ts) enforces the hard limits; the builder
 * clips to them (and to the tighter ones below), so an unusual request is logged with shortened fields instead of
 * being refused by the consumer.
 */
export const LIMITS = {
  /** Event id and x-portkey-trace-id (request-context only accepts trace ids this long). */
  id: 128,
  method: 16,
  path: 2048,
  /** Any other string field. */
  text: 100_000,
} as const;

/** Model names: real ones are far shorter; the client's string is logged as sent, up to this. */
export const MAX_MODEL_CHARS = 256;
/** Error messages and stream errors (provider messages can quote whole requests). */
export const MAX_ERROR_CHARS = 1000;

/** The first `max` UTF-16 units of `text`, never ending on half of a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

export function clipOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : clip(text, max);
}
