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
 * - A prefix check that redacts (`default.pii` with `redact`) gives the text so far with placeholders: from its
 *   first change on, text-carrying frames are re-serialised to carry the redacted text (GuardState.view) instead
 *   of their own, released under the same window, so a value split across frames never reaches the client.
 * - Without any output hook this transform is not installed at all: nothing is held back.
 */

/** How many characters of answer text are held back while prefix checks run (the longest match they can stop whole). */
export const STREAM_HOLD_BACK_CHARS = 256;

/**
 * What the hooks say about the text so far: `deny` is null to go on, or the error event's JSON to end the stream
 * with; `text` is the answer so far as the client may see it (redacted by `default.pii` with `redact`, else as is).
 */
export interface StreamVerdict {
  deny: string | null;
  text: string;
}
export type StreamJudge = (text: string, final: boolean) => Promise<StreamVerdict>;

export interface StreamGuard {
  /** 0 when no check can judge a prefix: frames are then released at once and only the end is judged. */
  window: number;
  judge: StreamJudge;
}

interface HeldFrame {
  /** The frame's JSON, kept to be re-serialised with redacted text. */
  data: string;
  frame: string;
  /** Length of the answer text once this frame's text is added. */
  textEnd: number;
  /** The chunk has a text field (delta.content or text) a redaction can rewrite. */
  carriesText: boolean;
}

const encoder = new TextEncoder();

type Chunk = { choices?: { delta?: { content?: unknown }; text?: unknown }[] };

function parseChunk(data: string): Chunk | null {
  try {
    const chunk: unknown = JSON.parse(data);
    return typeof chunk === "object" && chunk !== null ? (chunk as Chunk) : null;
  } catch {
    return null;
  }
}

/** The answer text of one OpenAI chunk (first choice): chat delta content or a completion's text; null if none. */
function chunkText(chunk: Chunk | null): string | null {
  const first = chunk?.choices?.[0];
  if (typeof first !== "object" || first === null) return null;
  if (typeof first.delta?.content === "string") return first.delta.content;
  return typeof first.text === "string" ? first.text : null;
}

/** The frame with its first choice's text replaced (only frames that carry text are rewritten). */
function rewrittenFrame(data: string, text: string): string {
  const chunk = parseChunk(data);
  const [first, ...rest] = chunk?.choices ?? [];
  if (!chunk || !first) return `data: ${data}\n\n`;
  const choice =
    typeof first.delta?.content === "string"
      ? { ...first, delta: { ...first.delta, content: text } }
      : { ...first, text };
  return `data: ${JSON.stringify({ ...chunk, choices: [choice, ...rest] })}\n\n`;
}

class GuardState {
  text = "";
  held: HeldFrame[] = [];
  sawDone = false;
  /**
   * The answer as the client may see it (`text` redacted). Once a redaction changed it, frames are re-serialised
   * and carry `view`'s characters instead of their own: `emitted` of them went out, and only characters before
   * the last `window` ones are released (a redaction can only still change those: a finding is at most `window`
   * long and settles once whitespace follows it).
   */
  view = "";
  rewriting = false;
  emitted = 0;

  constructor(private readonly window: number) {}

  add(data: string): void {
    if (data === "[DONE]") {
      this.sawDone = true;
      return;
    }
    const text = chunkText(parseChunk(data));
    this.text += text ?? "";
    this.held.push({ data, frame: `data: ${data}\n\n`, textEnd: this.text.length, carriesText: text !== null });
  }

  /** What the hooks made of the text so far: a change switches the stream to rewriting for good. */
  see(view: string): void {
    this.view = view;
    if (view !== this.text) this.rewriting = true;
  }

  /** Frames wholly before the window (all frames when no prefix check holds anything back). */
  releasable(): string {
    const safeEnd = this.window === 0 ? Infinity : this.text.length - this.window;
    let count = 0;
    while (count < this.held.length && (this.held[count]?.textEnd ?? Infinity) <= safeEnd) count++;
    const released = this.held.slice(0, count);
    this.held = this.held.slice(count);
    if (!this.rewriting) {
      this.emitted = released.at(-1)?.textEnd ?? this.emitted;
      return released.map((h) => h.frame).join("");
    }
    return this.rewrite(released, Math.max(this.emitted, this.view.length - this.window));
  }

  /** The frames carrying `view` up to `end`: its new characters in the first text frame, the others emptied. */
  private rewrite(frames: HeldFrame[], end: number): string {
    const first = frames.findIndex((h) => h.carriesText);
    if (first === -1) return frames.map((h) => h.frame).join("");
    const slice = this.view.slice(this.emitted, end);
    this.emitted = Math.max(this.emitted, end);
    return frames.map((h, i) => (h.carriesText ? rewrittenFrame(h.data, i === first ? slice : "") : h.frame)).join("");
  }

  drain(): string {
    const out = this.rewriting ? this.rewrite(this.held, this.view.length) : this.held.map((h) => h.frame).join("");
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
    if (state.rewriting) outcome.stream.streamedText = state.view; // redacted, for the log and its token estimate
    controller.enqueue(encoder.encode(`data: ${errorJson}\n\n`));
    controller.close();
    finish();
    void reader.cancel().catch(() => {});
  };

  const atEnd = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    decoder.end();
    // A stream that broke upstream carries its own error event and no [DONE]: nothing left to judge.
    const verdict = state.sawDone ? await guard.judge(state.text, true) : null;
    if (verdict?.deny) return deny(controller, verdict.deny);
    if (verdict) state.see(verdict.text);
    // The log's copy of a streamed answer is what the client got, never what a redaction removed.
    if (state.rewriting) outcome.stream.streamedText = state.view;
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
              if (verdict.deny !== null) return deny(controller, verdict.deny);
              state.see(verdict.text);
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
