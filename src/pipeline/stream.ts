import type { ChatStreamMapper } from "../../providers/types";
import { IncompleteStreamError, UpstreamStreamError } from "../../providers/types";
import { rawTextOf } from "../../providers/shared/raw";
import { SseDecoder } from "../../providers/shared/sse";
import type { ChatCompletionChunk, ChatCompletionChunkChoice, ChunkDelta } from "../../schema/openai-response";
import type { RequestOutcome } from "../context";
import { scrub } from "../observability/scrub";
import { withoutSecrets } from "./answer-secrets";

export interface StreamOptions {
  /** The client asked for `stream_options.include_usage`: forward usage chunks. */
  includeUsage: boolean;
  outcome: RequestOutcome;
  startedAt: number;
  /** Credentials the provider must not echo to the client (answerSecrets), in their JSON-string form. */
  secrets: readonly string[];
}

const encoder = new TextEncoder();
const frame = (data: string) => `data: ${data}\n\n`;

/** The error event a broken stream ends with; the provider's message may quote the key it was sent. */
function errorFrame(error: unknown, secrets: readonly string[]): string {
  const message = scrub(
    `upstream stream was interrupted: ${error instanceof Error ? error.message : "unknown failure"}`,
    secrets,
  );
  let type = "api_error";
  let code = "upstream_stream_error";
  if (error instanceof IncompleteStreamError) code = "upstream_stream_incomplete";
  if (error instanceof UpstreamStreamError) {
    type = error.error.type;
    code = error.error.code ?? code;
  }
  return frame(JSON.stringify({ error: { message, type, param: null, code } }));
}

/** OpenAI adds `"usage":null` to every chunk once usage is asked for; a client that did not ask never sees it. */
const NULL_USAGE = ',"usage":null';

/**
 * Cap on outcome.stream.streamedText (UTF-16 units): the logger needs it only to estimate tokens of a stream without usage
 * and as the logged response body, which is cut far below this anyway.
 */
export const MAX_STREAMED_TEXT = 65_536;

/**
 * The answer text of one choice: delta content and tool-call argument fragments, or a completions chunk's `text`.
 * Passthrough chunks are checked, not validated, so nothing here trusts the declared shape.
 */
function textOf(choice: ChatCompletionChunkChoice): string {
  const delta: ChunkDelta | undefined = choice.delta ?? undefined;
  let text = typeof delta?.content === "string" ? delta.content : "";
  if (Array.isArray(delta?.tool_calls)) {
    for (const call of delta.tool_calls)
      if (typeof call?.function?.arguments === "string") text += call.function.arguments;
  }
  const completion: unknown = (choice as { text?: unknown }).text;
  return typeof completion === "string" ? text + completion : text;
}

/**
 * Record usage, finish reason, the served model (the first chunk's) and the answer text as they pass (plain string
 * appends: this runs for every chunk of every stream); return the chunk's text for the client, or null to drop it.
 */
function forClient(chunk: ChatCompletionChunk, options: StreamOptions): string | null {
  const { answer, route, stream } = options.outcome;
  if (chunk.usage) answer.usage = chunk.usage;
  if (route.servedModel === undefined && typeof chunk.model === "string" && chunk.model !== "")
    route.servedModel = chunk.model;
  for (const choice of chunk.choices) {
    if (choice.finish_reason) answer.finishReason = choice.finish_reason;
    if ((stream.streamedText?.length ?? 0) >= MAX_STREAMED_TEXT) continue;
    const text = textOf(choice);
    if (text !== "") stream.streamedText = (stream.streamedText ?? "") + text;
  }
  const raw = rawTextOf(chunk);
  if (options.includeUsage || !("usage" in chunk)) return raw ?? JSON.stringify(chunk);
  // The usage we asked for on the client's behalf: the usage-only chunk goes, and so does the usage field.
  if (chunk.choices.length === 0 && chunk.usage) return null;
  if (raw !== undefined && raw.includes(NULL_USAGE)) return raw.replace(NULL_USAGE, "");
  const { usage: _dropped, ...rest } = chunk;
  return JSON.stringify(rest);
}

/** A write to the client failed: the client went away. */
class ClientGone extends Error {}

/**
 * The client's SSE body. A loop reads the upstream, decodes events with the one SSE decoder, maps them with the
 * provider's mapper and writes the OpenAI frames of each network read in one write to a native
 * IdentityTransformStream (no JS stream machinery per chunk, nothing held back). The write waits for the client
 * to take the bytes, so a slow client slows the upstream read instead of filling memory. A stream that breaks,
 * or ends without the provider's terminal event, ends with an error event and never with `[DONE]`.
 */
export function translateStream(
  upstream: ReadableStream<Uint8Array>,
  mapper: ChatStreamMapper,
  options: StreamOptions,
): ReadableStream<Uint8Array> {
  const { readable, writable } = new IdentityTransformStream();
  let resolveDone: () => void = () => {};
  options.outcome.stream.done = new Promise((resolve) => (resolveDone = resolve));
  void pump(upstream.getReader(), writable.getWriter(), mapper, options).finally(() => resolveDone());
  return readable;
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  writer: WritableStreamDefaultWriter<Uint8Array>,
  mapper: ChatStreamMapper,
  options: StreamOptions,
): Promise<void> {
  const { outcome } = options;
  let pending = "";
  const emit = (chunks: ChatCompletionChunk[]) => {
    for (const chunk of chunks) {
      const text = forClient(chunk, options);
      if (text !== null) pending += frame(text);
    }
  };
  const flush = async () => {
    if (!pending) return;
    outcome.stream.firstTokenMs ??= performance.now() - options.startedAt;
    // `pending` holds whole frames only (the decoder emits complete events), so a key the network split across
    // reads is whole here. A key spread over several events (written token by token) is not caught.
    const bytes = encoder.encode(withoutSecrets(pending, options.secrets));
    pending = "";
    await writer.write(bytes).catch(() => {
      throw new ClientGone();
    });
  };
  // SSE unless the provider's stream has its own framing (Bedrock's binary event-stream).
  const decoder = mapper.createDecoder?.(emit) ?? new SseDecoder((event) => emit(mapper.onEvent(event)));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      decoder.push(value);
      await flush();
    }
    decoder.end();
    emit(mapper.end());
    pending += frame("[DONE]");
    await flush();
    await writer.close();
  } catch (error) {
    if (error instanceof ClientGone) {
      // ??=: a guard that ended the stream on purpose (an output guardrail's deny) already said why.
      outcome.stream.error ??= "client closed the stream";
    } else {
      outcome.stream.error = error instanceof Error ? error.message : "upstream stream failed";
      pending += errorFrame(error, outcome.redact ?? []);
      await flush()
        .then(() => writer.close())
        .catch(() => {});
    }
    await reader.cancel().catch(() => {});
  }
}
