import { createPlaceholderRestorer } from "../../guardrails/pii/restore";
import { SseDecoder } from "../../providers/shared/sse";

/**
 * PII placeholders of an input redaction restored inside a streamed answer (the client's OpenAI SSE frames, after
 * the cache, so a stored stream keeps placeholders). Each chunk's text (first choice: `delta.content` or a
 * completion's `text`) goes through the streaming restorer, which holds back only a tail that could still become a
 * placeholder (`[EMAIL_ADDR`); that tail goes out with the next chunk, or with the chunk that carries
 * `finish_reason`, or in a chunk of its own before `[DONE]`. Other frames (usage, errors) pass unchanged.
 */
type Choice = { index?: number; delta?: { content?: unknown }; text?: unknown; finish_reason?: unknown };
type Chunk = { choices?: Choice[] };

const encoder = new TextEncoder();

function parseChunk(data: string): Chunk | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null ? (value as Chunk) : null;
  } catch {
    return null;
  }
}

/** Put `text` in the chunk's first choice, where its text lives (delta.content for chat, text for completions). */
function withText(chunk: Chunk, text: string): Chunk {
  const [first, ...rest] = chunk.choices ?? [];
  if (!first) return chunk;
  const choice =
    "text" in first && !first.delta ? { ...first, text } : { ...first, delta: { ...first.delta, content: text } };
  return { ...chunk, choices: [choice, ...rest] };
}

/** A chunk of its own for a held tail at the end: the last chunk's shape, its first choice without a finish. */
function tailChunk(last: Chunk, tail: string): Chunk {
  const first = last.choices?.[0];
  return withText({ ...last, choices: [{ ...first, finish_reason: null }] }, tail);
}

function textOf(chunk: Chunk): string | null {
  const first = chunk.choices?.[0];
  if (!first) return null;
  if (typeof first.delta?.content === "string") return first.delta.content;
  if (typeof first.text === "string") return first.text;
  return first.delta !== undefined || first.finish_reason != null ? "" : null;
}

export function restoreStream(
  source: ReadableStream<Uint8Array>,
  map: ReadonlyMap<string, string>,
): ReadableStream<Uint8Array> {
  const restorer = createPlaceholderRestorer(map);
  let last: Chunk | null = null;
  let out: string[] = [];
  const frame = (chunk: Chunk) => out.push(`data: ${JSON.stringify(chunk)}\n\n`);
  const onData = (data: string) => {
    const chunk = data === "[DONE]" ? null : parseChunk(data);
    const text = chunk ? textOf(chunk) : null;
    if (chunk && text !== null) {
      last = chunk;
      const final = chunk.choices?.[0]?.finish_reason != null;
      return frame(withText(chunk, restorer.push(text) + (final ? restorer.flush() : "")));
    }
    const tail = data === "[DONE]" ? restorer.flush() : "";
    if (tail && last) frame(tailChunk(last, tail));
    out.push(`data: ${data}\n\n`);
  };
  const decoder = new SseDecoder((event) => onData(event.data));
  const take = () => {
    const text = out.join("");
    out = [];
    return text;
  };
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        decoder.push(bytes);
        const text = take();
        if (text) controller.enqueue(encoder.encode(text));
      },
      flush(controller) {
        decoder.end();
        const tail = restorer.flush();
        if (tail && last) frame(tailChunk(last, tail));
        const text = take();
        if (text) controller.enqueue(encoder.encode(text));
      },
    }),
  );
}
