/**
 * The one Server-Sent Events reader and writer every provider uses.
 *
 * The reader follows the WHATWG event-stream rules: lines end in LF, CR or CRLF (a CR at the end of one network
 * chunk may be followed by the LF at the start of the next), lines starting with ":" are comments, several
 * `data:` lines join with "\n", and a blank line dispatches the event. An event left without its blank line when
 * the body ends is discarded, as the spec says: the provider's terminal event is how a complete stream is told
 * apart from a cut one.
 */

export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

interface ParserState {
  buffer: string;
  /** The previous chunk ended in CR: a leading LF in the next chunk belongs to that line ending. */
  pendingCR: boolean;
  data: string[];
  event: string | undefined;
  id: string | undefined;
}

function processLine(line: string, state: ParserState, emit: (event: SseEvent) => void): void {
  if (line === "") {
    if (state.data.length > 0) {
      const event: SseEvent = { data: state.data.join("\n") };
      if (state.event !== undefined) event.event = state.event;
      if (state.id !== undefined) event.id = state.id;
      emit(event);
    }
    state.data = [];
    state.event = undefined;
    return;
  }
  if (line.charCodeAt(0) === 58 /* ":" */) return;
  const colon = line.indexOf(":");
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? "" : line.slice(colon + 1);
  if (value.charCodeAt(0) === 32 /* " " */) value = value.slice(1);
  if (field === "data") state.data.push(value);
  else if (field === "event") state.event = value;
  else if (field === "id") state.id = value;
}

function consume(text: string, state: ParserState, emit: (event: SseEvent) => void): void {
  let start = 0;
  if (state.pendingCR && text.charCodeAt(0) === 10) start = 1;
  state.pendingCR = false;
  const input = state.buffer + text.slice(start);
  let lineStart = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code !== 10 && code !== 13) continue;
    processLine(input.slice(lineStart, i), state, emit);
    if (code === 13) {
      if (i + 1 === input.length) state.pendingCR = true;
      else if (input.charCodeAt(i + 1) === 10) i++;
    }
    lineStart = i + 1;
  }
  state.buffer = input.slice(lineStart);
}

/**
 * A push-style decoder: feed it network chunks as they arrive and it calls `onEvent` for every complete event,
 * synchronously, so nothing is held back once its blank line has been seen.
 */
export class SseDecoder {
  private readonly decoder = new TextDecoder();
  private readonly state: ParserState = { buffer: "", pendingCR: false, data: [], event: undefined, id: undefined };

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(bytes: Uint8Array): void {
    consume(this.decoder.decode(bytes, { stream: true }), this.state, this.onEvent);
  }

  end(): void {
    const rest = this.decoder.decode();
    if (rest) consume(rest, this.state, this.onEvent);
  }
}

/** The same decoder as a TransformStream from bytes to events. */
export function createSseParser(): TransformStream<Uint8Array, SseEvent> {
  let decoder: SseDecoder | undefined;
  return new TransformStream<Uint8Array, SseEvent>({
    start(controller) {
      decoder = new SseDecoder((event) => controller.enqueue(event));
    },
    transform(chunk) {
      decoder?.push(chunk);
    },
    flush() {
      decoder?.end();
    },
  });
}

/** Parse a whole SSE text at once (tests and cached replays). */
export function parseSseText(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const state: ParserState = { buffer: "", pendingCR: false, data: [], event: undefined, id: undefined };
  consume(text, state, (event) => events.push(event));
  return events;
}

const encoder = new TextEncoder();

/** One `data:` frame. JSON never contains a raw newline, so a single data line is always enough. */
export function encodeSseData(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}

export const SSE_DONE = encodeSseData("[DONE]");
