/**
 * OpenTelemetry ids for an event, derived from its ids so that a redelivered event exports the very same spans
 * (a collector sees a duplicate, not a second request).
 */
async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The OTel trace id of an x-portkey-trace-id: a UUID or 32 hex digits map to themselves (so the id a caller sees is
 * the one to search for in the tracing backend); anything else is hashed.
 */
export async function traceIdFor(portkeyTraceId: string): Promise<string> {
  const lower = portkeyTraceId.toLowerCase();
  if (HEX32.test(lower) && lower !== "0".repeat(32)) return lower;
  if (UUID.test(lower) && lower !== "00000000-0000-0000-0000-000000000000") return lower.replaceAll("-", "");
  return (await sha256Hex(`trace:${portkeyTraceId}`)).slice(0, 32);
}

/** Span id of the request (index undefined) or of its n-th attempt. */
export async function spanIdFor(eventId: string, attempt?: number): Promise<string> {
  return (await sha256Hex(attempt === undefined ? `span:${eventId}` : `span:${eventId}:${attempt}`)).slice(0, 16);
}
