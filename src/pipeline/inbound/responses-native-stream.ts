import {
  chatUsageOfResponse,
  finishReasonOfResponse,
  responseBodySchema,
} from "../../../providers/inbound-responses/native";
import { SseDecoder, type SseEvent } from "../../../providers/shared/sse";
import type { RequestOutcome } from "../../context";
import { MAX_STREAMED_TEXT } from "../stream";
import { pipeNativeStream } from "./native-pipe";
import type { NativeStreamOptions } from "./types";

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
  return pipeNativeStream(upstream, options, {
    observer: new ResponsesObserver(options.outcome, onFinal),
    errorEvent,
    incompleteReason: (outcome) => (outcome.stream.error ??= "upstream stream ended before its final event"),
  });
}
