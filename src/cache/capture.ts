import { SseDecoder, type SseEvent } from "../../providers/shared/sse";
import type { RequestOutcome } from "../context";
import { assembleStream } from "./assemble";
import { MAX_ENTRY_BYTES } from "./entry";
import type { CacheRequest } from "./request";
import { embeddingsBodySchema } from "./shapes";

/** The client's response, and (later) the body worth storing: null for anything incomplete or unexpected. */
export interface Captured {
  response: Response;
  stored: Promise<Record<string, unknown> | null>;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A 200 body is only an answer if it has its answer's shape (a provider can say 200 and mean an error). */
function isAnswer(operation: CacheRequest["operation"], body: Record<string, unknown>): boolean {
  if ("error" in body) return false;
  if (operation === "embeddings") return embeddingsBodySchema.safeParse(body).success;
  return Array.isArray(body.choices) && body.choices.length > 0;
}

/**
 * Pass the client's stream through untouched while keeping a copy of its bytes (a pull-through ReadableStream, so
 * a client that hangs up still cancels the upstream). `complete` resolves true only when the stream ended
 * normally; the bytes are decoded later, off the hot path.
 */
function tee(source: ReadableStream<Uint8Array>): {
  stream: ReadableStream<Uint8Array>;
  copy: Promise<Uint8Array[] | null>;
} {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let finish: (chunks: Uint8Array[] | null) => void = () => {};
  const copy = new Promise<Uint8Array[] | null>((resolve) => (finish = resolve));
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            finish(size <= 2 * MAX_ENTRY_BYTES ? chunks : null);
            return;
          }
          size += value.byteLength;
          // Past the size cap the copy is useless (the entry would be refused): stop holding bytes.
          if (size <= 2 * MAX_ENTRY_BYTES) chunks.push(value);
          else chunks.length = 0;
          controller.enqueue(value);
        } catch (error) {
          finish(null);
          controller.error(error);
        }
      },
      async cancel(reason) {
        finish(null);
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, copy };
}

function decodeAll(chunks: Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  const decoder = new SseDecoder((event) => events.push(event));
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return events;
}

/** Wrap a provider's successful response so that its answer can be stored once the client has it. */
export async function capture(response: Response, request: CacheRequest, outcome: RequestOutcome): Promise<Captured> {
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  const isStream = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
  if (!isStream || !response.body) {
    // attempt() built this body in memory: reading it costs nothing and the client gets the same text.
    const text = await response.text();
    const stored = Promise.resolve().then(() => {
      const body = response.status === 200 ? parseObject(text) : null;
      return body && isAnswer(request.operation, body) ? body : null;
    });
    return { response: new Response(text, init), stored };
  }
  const { stream, copy } = tee(response.body);
  const stored = copy.then(async (chunks) => {
    // The translator resolves `done` after its last write; stream.error says whether the stream was cut or failed.
    await outcome.stream.done;
    if (!chunks || outcome.stream.error || response.status !== 200 || request.operation === "embeddings") return null;
    const assembled = assembleStream(request.operation, decodeAll(chunks));
    return assembled && isAnswer(request.operation, assembled.body) ? assembled.body : null;
  });
  return { response: new Response(stream, init), stored };
}
