import { describe, expect, it } from "vitest";
import { crc32 } from "../../providers/shared/crc32";
import { EventStreamDecoder, MAX_MESSAGE_BYTES, type EventStreamMessage } from "../../providers/shared/event-stream";
import { IncompleteStreamError, MalformedUpstreamError } from "../../providers/types";
import {
  bedrockEvent,
  bedrockException,
  bitwiseCrc32,
  concatBytes,
  encodeMessage,
} from "../fixtures/bedrock/event-stream-encoder";

const utf8 = new TextDecoder();

function decodeAll(pieces: readonly Uint8Array[]): EventStreamMessage[] {
  const messages: EventStreamMessage[] = [];
  const decoder = new EventStreamDecoder((message) => messages.push(message));
  for (const piece of pieces) decoder.push(piece);
  decoder.end();
  return messages;
}

/** What a test compares: the kind, its type name, string headers and the payload as text. */
function summary(message: EventStreamMessage) {
  const name =
    message.kind === "event"
      ? message.eventType
      : message.kind === "exception"
        ? message.exceptionType
        : message.errorCode;
  return {
    kind: message.kind,
    name,
    headers: Object.fromEntries(message.headers),
    payload: utf8.decode(message.payload),
  };
}

const stream = concatBytes([
  bedrockEvent("messageStart", { role: "assistant" }),
  bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "héllo 🌍" } }),
  bedrockEvent("messageStop", { stopReason: "end_turn" }),
  bedrockException("throttlingException", "Too many requests, please wait before trying again."),
]);

describe("CRC-32", () => {
  it("matches the bit-by-bit computation and the standard check value", () => {
    const check = new TextEncoder().encode("123456789");
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32(stream)).toBe(bitwiseCrc32(stream));
  });

  it('reproduces a published event-stream frame ({"foo": "bar"}, no headers)', () => {
    // From the AWS event-stream encoding examples: total 30, headers 0, prelude CRC ba f2 f6 8a, message CRC ae 72 58 e4.
    const frame = encodeMessage({}, '{"foo": "bar"}');
    expect([...frame.slice(0, 12)]).toEqual([0, 0, 0, 30, 0, 0, 0, 0, 186, 242, 246, 138]);
    expect([...frame.slice(-4)]).toEqual([174, 114, 88, 228]);
    expect(crc32(frame, 0, 8)).toBe(0xbaf2f68a);
  });
});

describe("event-stream decoder", () => {
  const expected = [
    { kind: "event", name: "messageStart" },
    { kind: "event", name: "contentBlockDelta" },
    { kind: "event", name: "messageStop" },
    { kind: "exception", name: "throttlingException" },
  ];

  it("decodes headers, payloads and exceptions of whole messages", () => {
    const messages = decodeAll([stream]).map(summary);
    expect(messages.map(({ kind, name }) => ({ kind, name }))).toEqual(expected);
    expect(messages[1]?.headers).toEqual({
      ":event-type": "contentBlockDelta",
      ":content-type": "application/json",
      ":message-type": "event",
    });
    expect(JSON.parse(messages[1]?.payload ?? "")).toMatchObject({ contentBlockIndex: 0, delta: { text: "héllo 🌍" } });
    expect(JSON.parse(messages[3]?.payload ?? "")).toEqual({
      message: "Too many requests, please wait before trying again.",
    });
  });

  it("gives the same messages however the bytes are split (every cut point, and byte by byte)", () => {
    const whole = decodeAll([stream]).map(summary);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(decodeAll([stream.slice(0, cut), stream.slice(cut)]).map(summary)).toEqual(whole);
    }
    expect(decodeAll([...stream].map((byte) => new Uint8Array([byte]))).map(summary)).toEqual(whole);
  });

  it("skips non-string headers by their declared sizes", () => {
    const frame = encodeMessage(
      {
        flag: { type: "bool", value: true },
        off: { type: "bool", value: false },
        count: { type: "int32", value: 7 },
        blob: { type: "bytes", value: new Uint8Array([1, 2, 3]) },
        at: { type: "timestamp", value: 9 },
        id: { type: "uuid", value: new Uint8Array(16).fill(5) },
        ":event-type": "metadata",
      },
      "{}",
    );
    expect(decodeAll([frame]).map(summary)).toEqual([
      { kind: "event", name: "metadata", headers: { ":event-type": "metadata" }, payload: "{}" },
    ]);
  });

  it("surfaces :message-type error with its code and message", () => {
    const frame = encodeMessage(
      { ":message-type": "error", ":error-code": "InternalFailure", ":error-message": "boom" },
      "",
    );
    const [message] = decodeAll([frame]);
    expect(message).toMatchObject({ kind: "error", errorCode: "InternalFailure", errorMessage: "boom" });
  });

  it("rejects a corrupted prelude CRC before waiting for the rest of the message", () => {
    const frame = bedrockEvent("messageStart", { role: "assistant" });
    frame[9] = (frame[9] ?? 0) ^ 0xff;
    const decoder = new EventStreamDecoder(() => {});
    expect(() => decoder.push(frame.slice(0, 12))).toThrow(/prelude CRC-32 mismatch/);
  });

  it("rejects a corrupted length: the prelude CRC no longer matches", () => {
    const frame = bedrockEvent("messageStart", { role: "assistant" });
    frame[3] = (frame[3] ?? 0) + 1; // the length changes, the prelude CRC no longer matches
    expect(() => decodeAll([frame])).toThrow(MalformedUpstreamError);
  });

  it("rejects a corrupted message CRC and a corrupted payload byte", () => {
    const frame = bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "hi" } });
    const badCrc = frame.slice();
    badCrc[badCrc.length - 1] = (badCrc[badCrc.length - 1] ?? 0) ^ 1;
    expect(() => decodeAll([badCrc])).toThrow(/message CRC-32 mismatch/);
    const badPayload = frame.slice();
    badPayload[frame.length - 8] = (badPayload[frame.length - 8] ?? 0) ^ 1;
    expect(() => decodeAll([badPayload])).toThrow(/message CRC-32 mismatch/);
  });

  it("refuses a (CRC-valid) length above the maximum instead of buffering it", () => {
    const prelude = new Uint8Array(12);
    const view = new DataView(prelude.buffer);
    view.setUint32(0, MAX_MESSAGE_BYTES + 1);
    view.setUint32(4, 0);
    view.setUint32(8, bitwiseCrc32(prelude.slice(0, 8)));
    expect(() => decodeAll([prelude])).toThrow(/out of range/);
  });

  it("reports a body that ends inside a message as incomplete", () => {
    const frame = bedrockEvent("messageStop", { stopReason: "end_turn" });
    expect(() => decodeAll([frame.slice(0, frame.length - 3)])).toThrow(IncompleteStreamError);
    expect(() => decodeAll([frame.slice(0, 5)])).toThrow(IncompleteStreamError);
  });

  it("refuses a header that runs past the headers section", () => {
    const frame = encodeMessage({ ":event-type": "messageStart" }, "{}");
    // Claim a longer string value than the headers section holds, and fix both CRCs so only the header is wrong.
    const corrupt = frame.slice();
    corrupt[12 + 1 + ":event-type".length + 1 + 1] = 200;
    const view = new DataView(corrupt.buffer);
    view.setUint32(corrupt.length - 4, bitwiseCrc32(corrupt.slice(0, corrupt.length - 4)));
    expect(() => decodeAll([corrupt])).toThrow(/runs past the headers section/);
  });
});
