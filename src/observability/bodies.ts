import { rawTextOf } from "../lib/body";
import { scrub } from "./scrub";

/**
 * Request and response bodies for the log, when enabled: scrubbed of credentials, then cut to LOG_BODY_MAX_BYTES
 * (UTF-8 bytes, each body on its own). Scrubbing runs on the whole text first, so a secret straddling the cut can
 * never leave a usable prefix behind.
 */
export interface LoggedBodies {
  request: string | null;
  response: string | null;
  /** A prompt run's variables as JSON (prompt-variables.ts); absent for every other request. Named as in the event. */
  prompt_variables?: string | null;
  truncated: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** At most `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Cheap exit: every UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = encoder.encode(text);
  if (bytes.byteLength <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // Back up to the start of a character: continuation bytes look like 10xxxxxx.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: decoder.decode(bytes.subarray(0, end)), truncated: true };
}

/** The client's body text: exactly as sent when the pipeline kept it, else re-serialised (after the response). */
export function requestBodyText(body: unknown): string | null {
  if (body === undefined) return null;
  const raw = rawTextOf(body);
  if (raw !== undefined) return raw;
  try {
    return JSON.stringify(body) ?? null;
  } catch {
    return null;
  }
}

export function loggedBodies(
  request: string | null,
  response: string | null,
  secrets: readonly string[],
  maxBytes: number,
): LoggedBodies {
  const req = request === null ? null : truncateUtf8(scrub(request, secrets), maxBytes);
  const res = response === null ? null : truncateUtf8(scrub(response, secrets), maxBytes);
  return {
    request: req?.text ?? null,
    response: res?.text ?? null,
    truncated: Boolean(req?.truncated || res?.truncated),
  };
}
