import type { JudgedText } from "./guardrail-choices";
import { chunkParts, editedFrame, parseChunk, toolKey, type FrameEdits } from "./guardrail-stream-chunk";

/*
 * What the stream judge (guarded-stream.ts) holds while a streamed answer flows: one text per choice `index` (so
 * `n > 1` choices are judged and redacted each on its own, as the client reads them), the buffered arguments of
 * each streamed tool call (per choice and call index), and the frames not released yet, in the provider's order.
 */

/** One choice's answer text, as the provider sent it and as the client may see it. */
class ChoiceText {
  text = "";
  /**
   * The text as the client may see it (redacted). Once a redaction changed it, frames are re-serialised and carry
   * `view`'s characters instead of their own: `emitted` of them went out, and only characters before the last
   * `window` ones are released (a finding is at most `window` long and settles once whitespace follows it).
   */
  view = "";
  rewriting = false;
  emitted = 0;
  /** Some chunk gave this choice a text field: its content is judged (a tool-call-only choice's is not). */
  carriesText = false;

  see(view: string): void {
    this.view = view;
    if (view !== this.text) this.rewriting = true;
  }

  shown(): string {
    return this.rewriting ? this.view : this.text;
  }
}

interface ToolArguments {
  choice: number;
  tool: number;
  text: string;
  /** The arguments after the end-of-stream redaction, when it changed them. */
  redacted: string | null;
}

interface HeldFrame {
  data: string;
  frame: string;
  /** Per choice whose text the frame carries: that choice's text length once this frame's text is added. */
  ends: Map<number, number>;
  /** Tool calls (toolKey) whose arguments the frame carries: such a frame waits for the end of the stream. */
  tools: string[];
}

const byIndex = <T>(map: ReadonlyMap<number, T>) => [...map].sort(([a], [b]) => a - b);

export class GuardState {
  private readonly choices = new Map<number, ChoiceText>();
  private readonly tools = new Map<string, ToolArguments>();
  private held: HeldFrame[] = [];
  sawDone = false;

  constructor(private readonly window: number) {}

  private choice(index: number): ChoiceText {
    const known = this.choices.get(index);
    if (known) return known;
    const created = new ChoiceText();
    this.choices.set(index, created);
    return created;
  }

  private addArguments(choice: number, tool: number, args: string): string {
    const key = toolKey(choice, tool);
    const known = this.tools.get(key);
    if (known) known.text += args;
    else this.tools.set(key, { choice, tool, text: args, redacted: null });
    return key;
  }

  add(data: string): void {
    if (data === "[DONE]") {
      this.sawDone = true;
      return;
    }
    const ends = new Map<number, number>();
    const tools: string[] = [];
    for (const part of chunkParts(parseChunk(data))) {
      const choice = this.choice(part.index);
      if (part.text !== null) {
        choice.text += part.text;
        choice.carriesText = true;
        ends.set(part.index, choice.text.length);
      }
      for (const call of part.tools) tools.push(this.addArguments(part.index, call.index, call.args));
    }
    this.held.push({ data, frame: `data: ${data}\n\n`, ends, tools });
  }

  /** All choices' text so far (it grows when any choice's text does). */
  textLength(): number {
    let length = 0;
    for (const choice of this.choices.values()) length += choice.text.length;
    return length;
  }

  /**
   * The texts the hooks judge: each choice's content in index order, and at the end each tool call's arguments
   * too. A stream without any text is judged as one empty text, so whole-answer checks still run at its end.
   */
  judged(final: boolean): JudgedText[] {
    const texts: JudgedText[] = byIndex(this.choices)
      .filter(([, choice]) => choice.carriesText)
      .map(([choice, { text }]) => ({ choice, text }));
    if (final) for (const { choice, tool, text } of this.tools.values()) texts.push({ choice, tool, text });
    return texts.length > 0 ? texts : [{ choice: 0, text: "" }];
  }

  /** What the hooks made of the judged texts (same order): a change switches that text to rewriting for good. */
  see(judged: readonly JudgedText[], views: readonly string[]): void {
    judged.forEach((at, i) => {
      const view = views[i] ?? at.text;
      if (at.tool === undefined) return this.choice(at.choice).see(view);
      const args = this.tools.get(toolKey(at.choice, at.tool));
      if (args) args.redacted = view === args.text ? null : view;
    });
  }

  private safe(frame: HeldFrame): boolean {
    if (frame.tools.length > 0) return false;
    if (this.window === 0) return true;
    for (const [index, end] of frame.ends) if (end > this.choice(index).text.length - this.window) return false;
    return true;
  }

  /** Frames, in order, whose text lies before each choice's window and that carry no tool-call arguments. */
  releasable(): string {
    let count = 0;
    for (const frame of this.held) {
      if (!this.safe(frame)) break;
      count++;
    }
    const released = this.held.splice(0, count);
    return this.emit(released, (choice) => Math.max(choice.emitted, choice.view.length - this.window));
  }

  /** Every held frame, carrying the rest of each choice's view and the redacted tool-call arguments. */
  drain(): string {
    return this.emit(this.held.splice(0), (choice) => choice.view.length);
  }

  /**
   * The frames as they go out: a rewriting choice's new characters (up to `endOf`) in its first frame, its other
   * frames emptied; a redacted tool call's whole arguments in its first frame, its other fragments emptied.
   */
  private emit(frames: HeldFrame[], endOf: (choice: ChoiceText) => number): string {
    const edits: FrameEdits = { text: new Map(), args: new Map() };
    for (const [index, choice] of this.choices) {
      const last = frames.findLast((frame) => frame.ends.has(index))?.ends.get(index);
      if (last === undefined) continue;
      if (!choice.rewriting) {
        choice.emitted = last;
        continue;
      }
      const end = endOf(choice);
      edits.text.set(index, choice.view.slice(choice.emitted, end));
      choice.emitted = Math.max(choice.emitted, end);
    }
    for (const [key, args] of this.tools) if (args.redacted !== null) edits.args.set(key, args.redacted);
    return frames.map((frame) => frameOut(frame, edits)).join("");
  }

  /** The answer text the client got so far, choices in index order (redacted where rewriting). */
  sent(): string {
    return byIndex(this.choices)
      .filter(([, choice]) => choice.carriesText)
      .map(([, choice]) => choice.shown().slice(0, choice.emitted))
      .join("\n");
  }

  /** A redaction changed some choice's text or some tool call's arguments. */
  rewriting(): boolean {
    return [...this.choices.values()].some((c) => c.rewriting) || [...this.tools.values()].some((t) => t.redacted);
  }

  /** The whole answer as the client got it: each choice's text, then its tool calls' arguments. */
  shown(): string {
    const argsOf = (index: number) =>
      [...this.tools.values()].filter((t) => t.choice === index).map((t) => t.redacted ?? t.text);
    return byIndex(this.choices)
      .map(([index, choice]) => [choice.shown(), ...argsOf(index)].join(""))
      .join("\n");
  }
}

/** One frame with the edits that fall to it; each edit goes to the first frame that carries its text. */
function frameOut(frame: HeldFrame, edits: FrameEdits): string {
  const mine: FrameEdits = { text: new Map(), args: new Map() };
  for (const index of frame.ends.keys()) {
    const text = edits.text.get(index);
    if (text === undefined) continue;
    mine.text.set(index, text);
    edits.text.set(index, "");
  }
  for (const key of frame.tools) {
    const args = edits.args.get(key);
    if (args === undefined) continue;
    mine.args.set(key, args);
    edits.args.set(key, "");
  }
  return mine.text.size + mine.args.size === 0 ? frame.frame : editedFrame(frame.data, mine);
}
