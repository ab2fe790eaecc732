import { SseDecoder } from "../../providers/shared/sse";
import type { RequestOutcome } from "../context";

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
 * - Without any output hook this transform is not installed at all: nothing is held back.
 */

/** How many characters of answer text are held back while prefix checks run (the longest match they can stop whole). */
export const STREAM_HOLD_BACK_CHARS = 256;

/** What the hooks say about the text so far: null to go on, or the error event's JSON to end the stream with. */
export type StreamJudge = (text: string, final: boolean) => Promise<string | null>;

export interface StreamGuard {
  /** 0 when no check can judge a prefix: frames are then released at once and only the end is judged. */
  window: number;
  judge: StreamJudge;
}

interface HeldFrame {
  frame: string;
  /** Length of the answer text once this frame's text is added. */
  textEnd: number;
}

const encoder = new TextEncoder();

/** The answer text of one OpenAI chunk (first choice): chat delta content or a completion's text. */
function chunkText(data: string): string {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return "";
  }
  const choices: unknown =
    typeof chunk === "object" && chunk !== null ? (chunk as { choices?: unknown }).choices : undefined;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (typeof first !== "object" || first === null) return "";
  const { delta, text } = first as { delta?: { content?: unknown }; text?: unknown };
  if (typeof delta?.content === "string") return delta.content;
  return typeof text === "string" ? text : "";
}

class GuardState {
  text = "";
  held: HeldFrame[] = [];
  sawDone = false;
  /** Frames that are not answer chunks (an upstream error event): passed on in order, never judged. */
  ended = false;

  constructor(private readonly window: number) {}

  add(data: string): void {
    if (data === "[DONE]") {
      this.sawDone = true;
      return;
    }
    this.text += chunkText(data);
    this.held.push({ frame: `data: ${data}\n\n`, textEnd: this.text.length });
  }

  /** Frames wholly before the window (all frames when no prefix check holds anything back). */
  releasable(): string {
    const safeEnd = this.window === 0 ? Infinity : this.text.length - this.window;
    let count = 0;
    while (count < this.held.length && (this.held[count]?.textEnd ?? Infinity) <= safeEnd) count++;
    const out = this.held
      .slice(0, count)
      .map((h) => h.frame)
      .join("");
    this.held = this.held.slice(count);
    return out;
  }

  drain(): string {
    const out = this.held.map((h) => h.frame).join("");
    this.held = [];
    return out;
  }
}

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
    controller.enqueue(encoder.encode(`data: ${errorJson}\n\n`));
    controller.close();
    finish();
    void reader.cancel().catch(() => {});
  };

  const atEnd = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    decoder.end();
    // A stream that broke upstream carries its own error event and no [DONE]: nothing left to judge.
    const verdict = state.sawDone ? await guard.judge(state.text, true) : null;
    if (verdict !== null) return deny(controller, verdict);
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
            const before = state.text.length;
            decoder.push(value);
            if (guard.window > 0 && state.text.length > before) {
              const verdict = await guard.judge(state.text, false);
              if (verdict !== null) return deny(controller, verdict);
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
