/**
 * W3C Trace Context `traceparent`: `version-traceid-parentid-flags`. A valid header makes the gateway's spans
 * children of the caller's span; anything malformed is ignored (a new trace starts), as the spec requires.
 */
export interface TraceParent {
  trace_id: string;
  span_id: string;
  sampled: boolean;
}

const HEADER = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export function parseTraceparent(header: string | undefined): TraceParent | null {
  const match = header ? HEADER.exec(header.trim()) : null;
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (!version || !traceId || !spanId || !flags) return null;
  // Version ff is forbidden; version 00 has exactly four fields (later versions may append more).
  if (version === "ff" || (version === "00" && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { trace_id: traceId, span_id: spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}
