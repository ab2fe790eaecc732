import {
  chatUsageOfResponse,
  finishReasonOfResponse,
  responseBodySchema,
} from "../../../providers/inbound-responses/native";
import { SseDecoder, type SseEvent } from "../../../providers/shared/sse";
import type { RequestOutcome } from "../../context";
import { CLIENT_ABORT } from "../../observability/build";
import { scrub } from "../../observability/scrub";
import { withoutSecrets } from "../answer-secrets";
import { MAX_STREAMED_TEXT } from "../stream";
import type { NativeStreamOptions } from "./types";

const encoder = new TextEncoder();
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/**
 * Reads OpenAI's Responses events for the outcome only (usage, served model, finish reason, streamed text) and
 * hands the final response (the `response` of response.completed / .incomplete / .failed) to `onFinal`, for
 * storage. A malformed event stops the observing; the client's bytes are never touched by it.
 */
class ResponsesObserver {
  terminal = false;
  private readonly decoder = new SseDecoder((event) => this.onEvent(event));

  constructor(
    private readonly outcome: RequestOutcome,
    private readonly onFinal: (response: unknown) => void,
  ) {}

  push(bytes: Uint8Array): void {
    this.decoder.push(bytes);
  }

  end(): boolean {
    this.decoder.end();
    return this.terminal;
  }

  private onEvent(event: SseEvent): void {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof data !== "object" || data === null) return;
    const { type, delta, response, message } = data as {
      type?: unknown;
      delta?: unknown;
      response?: unknown;
      message?: unknown;
    };
    const { stream } = this.outcome;
    if (
      type === "response.output_text.delta" &&
      typeof delta === "string" &&
      (stream.streamedText?.length ?? 0) < MAX_STREAMED_TEXT
    ) {
      stream.streamedText = (stream.streamedText ?? "") + delta;
    }
    if (type === "error") stream.error = typeof message === "string" ? message : "upstream stream failed";
    if (typeof type === "string" && TERMINAL.has(type)) this.onTerminal(type, response);
  }

  private onTerminal(type: string, response: unknown): void {
    this.terminal = true;
    const parsed = responseBodySchema.safeParse(response);
    if (!parsed.success) return;
    const usage = chatUsageOfResponse(parsed.data.usage);
    if (usage) this.outcome.answer.usage = usage;
    if (parsed.data.model) this.outcome.route.servedModel = parsed.data.model;
    this.outcome.answer.finishReason = finishReasonOfResponse(parsed.data);
    if (type === "response.failed") this.outcome.stream.error ??= "the response failed";
    this.onFinal(response);
  }
}

const errorEvent = (message: string): string =>
  `event: error\ndata: ${JSON.stringify({ type: "error", code: "server_error", message, param: null, sequence_number: 0 })}\n\n`;

class ClientGone extends Error {}

/**
 * A native OpenAI Responses stream for a /v1/responses client: OpenAI's bytes go out as they came (only a
 * credential the provider echoes is redacted), read by read, while the same events fill the outcome. A stream
 * that breaks or ends before its terminal event gets an `error` event appended.
 */
export function pipeResponsesStream(
  upstream: ReadableStream<Uint8Array>,
  options: NativeStreamOptions,
  onFinal: (response: unknown) => void,
): ReadableStream<Uint8Array> {
  const { readable, writable } = new IdentityTransformStream();
  let resolveDone: () => void = () => {};
  options.outcome.stream.done = new Promise((resolve) => (resolveDone = resolve));
  const observer = new ResponsesObserver(options.outcome, onFinal);
  void pump(upstream.getReader(), writable.getWriter(), observer, options).finally(() => resolveDone());
  return readable;
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  writer: WritableStreamDefaultWriter<Uint8Array>,
  observer: ResponsesObserver,
  options: NativeStreamOptions,
): Promise<void> {
  const { outcome, secrets } = options;
  const textDecoder = new TextDecoder();
  const write = async (bytes: Uint8Array) => {
    outcome.stream.firstTokenMs ??= performance.now() - options.startedAt;
    const out =
      secrets.length > 0 ? encoder.encode(withoutSecrets(textDecoder.decode(bytes, { stream: true }), secrets)) : bytes;
    await writer.write(out).catch(() => {
      throw new ClientGone();
    });
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      observer.push(value);
      await write(value);
    }
    if (!observer.end()) {
      outcome.stream.error ??= "upstream stream ended before its final event";
      await write(encoder.encode(errorEvent(`upstream stream was interrupted: ${outcome.stream.error}`)));
    }
    await writer.close();
  } catch (error) {
    if (error instanceof ClientGone) outcome.stream.error = CLIENT_ABORT;
    else {
      outcome.stream.error = error instanceof Error ? error.message : "upstream stream failed";
      const message = scrub(`upstream stream was interrupted: ${outcome.stream.error}`, outcome.redact ?? []);
      await write(encoder.encode(errorEvent(message)))
        .then(() => writer.close())
        .catch(() => {});
    }
    await reader.cancel().catch(() => {});
  }
}
