/**
 * The one decoder of AWS's binary event-stream (`application/vnd.amazon.eventstream`), which Bedrock's
 * ConverseStream answers with instead of SSE. Each message is
 *
 *   total length (u32 BE) | headers length (u32 BE) | prelude CRC-32 (u32 BE) | headers | payload | message CRC-32
 *
 * where the prelude CRC covers the first 8 bytes and the message CRC everything before it. A header is
 * name length (u8) | name (UTF-8) | value type (u8) | value, the value's size fixed by its type or, for byte
 * arrays and strings, given by a u16 BE length. Messages arrive split at any byte across network reads, so bytes
 * are buffered until a whole message is there; the prelude is checked as soon as its 12 bytes are, so a corrupted
 * length is refused before we wait for (or buffer) the bytes it claims.
 */
import { IncompleteStreamError, MalformedUpstreamError } from "../types";
import { crc32 } from "./crc32";

export type EventStreamMessage =
  /** `:message-type: event`: `eventType` is `:event-type` (messageStart, contentBlockDelta, ...). */
  | { kind: "event"; eventType: string; headers: ReadonlyMap<string, string>; payload: Uint8Array }
  /** `:message-type: exception`: a modelled error (throttlingException ...) with a JSON payload. */
  | { kind: "exception"; exceptionType: string; headers: ReadonlyMap<string, string>; payload: Uint8Array }
  /** `:message-type: error`: an unmodelled error, described by `:error-code` and `:error-message` headers. */
  | {
      kind: "error";
      errorCode: string;
      errorMessage: string;
      headers: ReadonlyMap<string, string>;
      payload: Uint8Array;
    };

const PRELUDE_BYTES = 12;
/** Prelude, its CRC and the message CRC. */
const OVERHEAD_BYTES = 16;
/** A guard against a (CRC-valid) length that would make us buffer without bound; AWS messages are far smaller. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const STRING_TYPE = 7;
const BYTES_TYPE = 6;
/** Value sizes of the fixed-size header types: bool true/false, byte, short, int, long, -, -, timestamp, uuid. */
const FIXED_SIZES: Readonly<Record<number, number>> = { 0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16 };

const malformed = (why: string) => new MalformedUpstreamError(`malformed event-stream message from upstream: ${why}`);
const utf8 = new TextDecoder("utf-8");

/** String headers by name; other types are skipped by their declared sizes (nothing in Bedrock's streams uses them). */
export function parseHeaders(bytes: Uint8Array): Map<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers = new Map<string, string>();
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw malformed("a header runs past the headers section");
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = view.getUint8(at);
    need(1 + nameLength + 1);
    const name = utf8.decode(bytes.subarray(at + 1, at + 1 + nameLength));
    const type = view.getUint8(at + 1 + nameLength);
    at += 2 + nameLength;
    if (type === STRING_TYPE || type === BYTES_TYPE) {
      need(2);
      const length = view.getUint16(at);
      need(2 + length);
      if (type === STRING_TYPE) headers.set(name, utf8.decode(bytes.subarray(at + 2, at + 2 + length)));
      at += 2 + length;
      continue;
    }
    const size = FIXED_SIZES[type];
    if (size === undefined) throw malformed(`unknown header value type ${type}`);
    need(size);
    at += size;
  }
  return headers;
}

function toMessage(headers: Map<string, string>, payload: Uint8Array): EventStreamMessage {
  const messageType = headers.get(":message-type") ?? "event";
  if (messageType === "exception") {
    return { kind: "exception", exceptionType: headers.get(":exception-type") ?? "unknown", headers, payload };
  }
  if (messageType === "error") {
    const errorCode = headers.get(":error-code") ?? "unknown";
    return { kind: "error", errorCode, errorMessage: headers.get(":error-message") ?? "", headers, payload };
  }
  if (messageType !== "event") throw malformed(`unknown :message-type ${JSON.stringify(messageType)}`);
  return { kind: "event", eventType: headers.get(":event-type") ?? "", headers, payload };
}

/** The total length of the message starting at `bytes[0]`, after checking its prelude. */
function checkedPrelude(bytes: Uint8Array): { total: number; headersLength: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, PRELUDE_BYTES);
  const total = view.getUint32(0);
  const headersLength = view.getUint32(4);
  if (crc32(bytes, 0, 8) !== view.getUint32(8)) throw malformed("prelude CRC-32 mismatch");
  if (total < OVERHEAD_BYTES || total > MAX_MESSAGE_BYTES) throw malformed(`message length ${total} out of range`);
  if (headersLength > total - OVERHEAD_BYTES) throw malformed("headers longer than the message");
  return { total, headersLength };
}

/**
 * A push-style decoder, like the SSE one: feed it network reads as they come; it calls `onMessage` for every
 * whole message, synchronously. `end()` throws IncompleteStreamError when the body stopped inside a message.
 */
export class EventStreamDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  constructor(private readonly onMessage: (message: EventStreamMessage) => void) {}

  push(bytes: Uint8Array): void {
    this.buffer = this.buffer.length === 0 ? bytes : concat(this.buffer, bytes);
    let offset = 0;
    while (this.buffer.length - offset >= PRELUDE_BYTES) {
      const rest = this.buffer.subarray(offset);
      const { total, headersLength } = checkedPrelude(rest);
      if (rest.length < total) break;
      const expected = new DataView(rest.buffer, rest.byteOffset + total - 4, 4).getUint32(0);
      if (crc32(rest, 0, total - 4) !== expected) throw malformed("message CRC-32 mismatch");
      const headers = parseHeaders(rest.subarray(PRELUDE_BYTES, PRELUDE_BYTES + headersLength));
      // A copy: the payload outlives this read's buffer, which the next push replaces.
      const payload = rest.slice(PRELUDE_BYTES + headersLength, total - 4);
      offset += total;
      this.onMessage(toMessage(headers, payload));
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.slice(offset);
  }

  end(): void {
    if (this.buffer.length > 0)
      throw new IncompleteStreamError(`event stream ended inside a message (${this.buffer.length} bytes left)`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
