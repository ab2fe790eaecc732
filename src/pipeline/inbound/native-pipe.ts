import type { RequestOutcome } from "../../context";
import { CLIENT_ABORT } from "../../observability/build";
import { scrub } from "../../observability/scrub";
import { withoutSecrets } from "../answer-secrets";
import type { NativeStreamOptions } from "./types";

const encoder = new TextEncoder();

/** Reads the upstream's bytes for the outcome only; `end` is true when the stream reached its terminal event. */
export interface NativeStreamObserver {
  push(bytes: Uint8Array): void;
  end(): boolean;
}

/** What one native format adds to the shared pipe: its observer and its own `error` event. */
export interface NativeStreamFormat {
  observer: NativeStreamObserver;
  /** The format's SSE `error` frame carrying `message`. */
  errorEvent: (message: string) => string;
  /** The reason written when the upstream ended before its terminal event (may record it on the outcome). */
  incompleteReason: (outcome: RequestOutcome) => string;
}

class ClientGone extends Error {}

/**
 * A native stream for a client of the provider's own format: the provider's bytes go out as they came (only a
 * credential the provider echoes is redacted), read by read, while the format's observer fills the outcome. A
 * stream that breaks or ends before its terminal event gets the format's `error` event appended.
 */
export function pipeNativeStream(
  upstream: ReadableStream<Uint8Array>,
  options: NativeStreamOptions,
  format: NativeStreamFormat,
): ReadableStream<Uint8Array> {
  const { readable, writable } = new IdentityTransformStream();
  let resolveDone: () => void = () => {};
  options.outcome.stream.done = new Promise((resolve) => (resolveDone = resolve));
  void pump(upstream.getReader(), writable.getWriter(), format, options).finally(() => resolveDone());
  return readable;
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  writer: WritableStreamDefaultWriter<Uint8Array>,
  format: NativeStreamFormat,
  options: NativeStreamOptions,
): Promise<void> {
  const { outcome, secrets } = options;
  const { observer, errorEvent } = format;
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
    if (!observer.end())
      await write(encoder.encode(errorEvent(`upstream stream was interrupted: ${format.incompleteReason(outcome)}`)));
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
