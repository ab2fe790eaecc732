import { describe, expect, it } from "vitest";
import { createSseParser, parseSseText, type SseEvent } from "../../providers/shared/sse";

async function parseInPieces(pieces: Uint8Array[]): Promise<SseEvent[]> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  const events: SseEvent[] = [];
  const reader = source.pipeThrough(createSseParser()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return events;
    events.push(value);
  }
}

const encoder = new TextEncoder();

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(bytes.slice(start, cut));
    start = cut;
  }
  pieces.push(bytes.slice(start));
  return pieces;
}

describe("SSE parser", () => {
  const text =
    ": keep-alive comment\r\n" +
    "event: message_start\r\n" +
    'data: {"a":"héllo 🌍"}\r\n\r\n' +
    "data: line one\n" +
    "data: line two\n\n" +
    "id: 7\rdata:no-space\r\r" +
    "data: [DONE]\n\n";
  const expected: SseEvent[] = [
    { event: "message_start", data: '{"a":"héllo 🌍"}' },
    { data: "line one\nline two" },
    { data: "no-space", id: "7" },
    { data: "[DONE]", id: "7" },
  ];

  it("handles CRLF, CR and LF endings, comments and multi-line data", () => {
    expect(parseSseText(text)).toEqual(expected);
  });

  it("gives the same events when the bytes are split at every single position", async () => {
    const bytes = encoder.encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await parseInPieces(splitAt(bytes, [cut]))).toEqual(expected);
    }
  });

  it("gives the same events when every byte arrives alone", async () => {
    const bytes = encoder.encode(text);
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(await parseInPieces(splitAt(bytes, cuts))).toEqual(expected);
  });

  it("discards an event whose blank line never arrived (a cut stream)", async () => {
    const events = await parseInPieces([encoder.encode('data: {"x":1}\n\ndata: {"partial"')]);
    expect(events).toEqual([{ data: '{"x":1}' }]);
  });
});
