import { SseDecoder } from "../../providers/shared/sse";
import type { RequestOutcome } from "../context";
import type { JudgedText } from "./guardrail-choices";
import { GuardState } from "./guardrail-stream-state";

/**
 * Output guardrails on a streamed answer, as it flows. The input is the client's SSE body as translateStream made
 * it (whole `data:` frames, OpenAI's chunk format); the output is the same frames, minus what is held back:
 *
 * - With prefix checks (`streamable`: regexMatch, contains, pii, maximum counts), after every network read the
 *   checks judge the whole text so far. Frames whose text lies entirely before the last `window` characters are
 *   released; the rest wait, because a match that is still pending could span them. A deny ends the stream with
 *   the error event before any of the offending text went out. So a match longer than the window can leak its
 *   first characters: STREAM_HOLD_BACK_CHARS (docs/guardrails.md) bounds both that and the added latency.
 * - Checks that need the whole answer run when the provider's stream ended; `[DONE]` (and the frames still held)
 *   go out only if they pass, else the error event goes instead (the text before it was already sent).
 * - A prefix check that redacts (`default.pii` with `redact`) gives the text so far with placeholders: from its
 *   first change on, text-carrying frames are re-serialised to carry the redacted text (each choice's view) instead
 *   of their own, released under the same window, so a value split across frames never reaches the client.
 * - Each choice `index` of an `n > 1` stream is its own text (guardrail-stream-state.ts): judged, held back and
 *   redacted on its own; a deny from any choice ends the whole stream before any of its offending text went out.
 * - Streamed tool-call arguments are JSON fragments, which a prefix check cannot redact without breaking them:
 *   frames carrying them are held until the provider's stream ends, then each call's whole arguments are judged
 *   with the answer (a deny sends none of them; a redaction goes out in the call's first fragment).
 * - Without any output hook this transform is not installed at all: nothing is held back.
 */

/** How many characters of answer text are held back while prefix checks run (the longest match they can stop whole). */
export const STREAM_HOLD_BACK_CHARS = 256;

/**
 * What the hooks say about the texts so far (each choice's content; at the end each tool call's arguments too):
 * `deny` is null to go on, or the error event's JSON to end the stream with; `texts` are the judged texts in the
 * same order as the client may see them (redacted by `default.pii` with `redact`, else as they are).
 */
export interface StreamVerdict {
  deny: string | null;
  texts: string[];
}
export type StreamJudge = (texts: readonly JudgedText[], final: boolean) => Promise<StreamVerdict>;

export interface StreamGuard {
  /** 0 when no check can judge a prefix: frames are then released at once and only the end is judged. */
  window: number;
  judge: StreamJudge;
}

const encoder = new TextEncoder();

/** The guarded stream; `outcome.stream.done` then resolves only once the guard has finished too (logs, cache). */
export function guardStream(
  source: ReadableStream<Uint8Array>,
  guard: StreamGuard,
  outcome: RequestOutcome,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const state = new GuardState(guard.window);
  const decoder = new SseDecoder((event) => state.add(event.data));
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const upstreamDone = outcome.stream.done;
  outcome.stream.done = Promise.all([upstreamDone, finished]).then(() => {});

  const deny = (controller: ReadableStreamDefaultController<Uint8Array>, errorJson: string) => {
    outcome.stream.error = "denied by an output guardrail"; // also keeps the cache from storing the answer
    // The log's copy is what the client got, cut at the deny: never the provider's text that was held back.
    outcome.stream.streamedText = state.sent();
    controller.enqueue(encoder.encode(`data: ${errorJson}\n\n`));
    controller.close();
    finish();
    void reader.cancel().catch(() => {});
  };

  const atEnd = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    decoder.end();
    // Judged (and redacted) on any end, a stream that broke upstream (its own error event, no [DONE]) included:
    // the held text is about to go out, and a finding at its very end has no whitespace after it.
    const judged = state.judged(true);
    const verdict = await guard.judge(judged, true);
    if (verdict.deny) return deny(controller, verdict.deny);
    state.see(judged, verdict.texts);
    // The log's copy of a streamed answer is what the client got, never what a redaction removed.
    if (state.rewriting()) outcome.stream.streamedText = state.shown();
    const rest = state.drain() + (state.sawDone ? "data: [DONE]\n\n" : "");
    if (rest) controller.enqueue(encoder.encode(rest));
    controller.close();
    finish();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return await atEnd(controller);
            const before = state.textLength();
            decoder.push(value);
            if (guard.window > 0 && state.textLength() > before) {
              const judged = state.judged(false);
              const verdict = await guard.judge(judged, false);
              if (verdict.deny !== null) return deny(controller, verdict.deny);
              state.see(judged, verdict.texts);
            }
            const out = state.releasable();
            if (out) return controller.enqueue(encoder.encode(out));
          }
        } catch (error) {
          outcome.stream.error ??= error instanceof Error ? error.message : "guarded stream failed";
          finish();
          controller.error(error);
        }
      },
      async cancel(reason) {
        finish();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
