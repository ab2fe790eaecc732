import { createPlaceholderRestorer, type PlaceholderRestorer } from "../../guardrails/pii/restore";
import {
  chunkParts,
  editedFrame,
  parseChunk,
  toolKey,
  type ChoicePart,
  type FrameEdits,
} from "./guardrail-stream-chunk";

/*
 * What the stream restorer (restore-stream.ts) holds while a streamed answer flows: one streaming restorer per
 * choice `index` for its text and one per (choice, tool call) for the call's arguments, so a placeholder is only
 * ever completed by the fragments of its own text. Each holds back at most a tail that could still become a
 * placeholder (`[EMAIL_ADDR`). Frames in which nothing changes go out exactly as they came.
 */

type Json = Record<string, unknown>;

/** Originals as they must appear inside tool-call arguments (JSON text): JSON-escaped, without the quotes. */
const jsonEscaped = (map: ReadonlyMap<string, string>) =>
  new Map([...map].map(([placeholder, original]) => [placeholder, JSON.stringify(original).slice(1, -1)] as const));

interface ToolRestorer {
  choice: number;
  tool: number;
  restorer: PlaceholderRestorer;
}

/** What one choice still holds back when it finishes (or the stream ends): its text's tail, its calls' tails. */
interface Tails {
  text: string;
  args: Map<number, string>;
}

export class StreamRestorer {
  private readonly texts = new Map<number, PlaceholderRestorer>();
  private readonly tools = new Map<string, ToolRestorer>();
  /** Per choice: chat (`delta`) or completion (`text`), for a tail chunk of its own. */
  private readonly chat = new Map<number, boolean>();
  private readonly argsMap: ReadonlyMap<string, string>;
  /** The last chunk's fields other than its choices: the envelope of a tail chunk of its own. */
  private envelope: Json = {};
  private out: string[] = [];

  constructor(private readonly map: ReadonlyMap<string, string>) {
    this.argsMap = jsonEscaped(map);
  }

  private textRestorer(choice: number): PlaceholderRestorer {
    const known = this.texts.get(choice) ?? createPlaceholderRestorer(this.map);
    this.texts.set(choice, known);
    return known;
  }

  private toolRestorer(choice: number, tool: number): PlaceholderRestorer {
    const key = toolKey(choice, tool);
    const known = this.tools.get(key) ?? { choice, tool, restorer: createPlaceholderRestorer(this.argsMap) };
    this.tools.set(key, known);
    return known.restorer;
  }

  /** One SSE event's data. */
  add(data: string): void {
    if (data === "[DONE]") {
      this.flushAll();
      this.out.push(`data: [DONE]\n\n`);
      return;
    }
    const chunk = parseChunk(data);
    const parts = chunkParts(chunk);
    if (!chunk || parts.length === 0) {
      this.out.push(`data: ${data}\n\n`);
      return;
    }
    this.envelope = envelopeOf(chunk);
    const edits: FrameEdits = { text: new Map(), args: new Map() };
    for (const part of parts) this.restorePart(part, edits);
    const changed = edits.text.size + edits.args.size > 0;
    this.out.push(changed ? editedFrame(data, edits) : `data: ${data}\n\n`);
  }

  /**
   * One choice of a frame: its text and argument fragments restored (an edit only where that changed them). On
   * its finish, what its own fragments cannot carry goes out first, in a chunk of its own.
   */
  private restorePart(part: ChoicePart, edits: FrameEdits): void {
    this.chat.set(part.index, part.chat);
    const finishing = (restorer: PlaceholderRestorer, piece: string) =>
      restorer.push(piece) + (part.finished ? restorer.flush() : "");
    if (part.text !== null) {
      const restored = finishing(this.textRestorer(part.index), part.text);
      if (restored !== part.text) edits.text.set(part.index, restored);
    }
    const carried = new Set<number>();
    for (const call of part.tools) {
      carried.add(call.index);
      const restored = finishing(this.toolRestorer(part.index, call.index), call.args);
      if (restored !== call.args) edits.args.set(toolKey(part.index, call.index), restored);
    }
    if (part.finished) this.emitTails(part.index, this.tailsOf(part.index, part.text === null, carried));
  }

  /** The held tails of one choice: its text's (when `withText`), its calls' except those in `skip`. */
  private tailsOf(choice: number, withText: boolean, skip: ReadonlySet<number> = new Set()): Tails {
    const text = withText ? (this.texts.get(choice)?.flush() ?? "") : "";
    const args = new Map<number, string>();
    for (const call of this.tools.values()) {
      if (call.choice !== choice || skip.has(call.tool)) continue;
      const tail = call.restorer.flush();
      if (tail) args.set(call.tool, tail);
    }
    return { text, args };
  }

  private emitTails(choice: number, tails: Tails): void {
    if (!tails.text && tails.args.size === 0) return;
    const chunk = { ...this.envelope, choices: [tailChoice(choice, this.chat.get(choice) ?? true, tails)] };
    this.out.push(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  /** End of the stream ([DONE] or the body's end): every choice's held tails, choices in index order. */
  flushAll(): void {
    const choices = new Set([...this.texts.keys(), ...[...this.tools.values()].map((call) => call.choice)]);
    for (const choice of [...choices].sort((a, b) => a - b)) this.emitTails(choice, this.tailsOf(choice, true));
  }

  /** The frames ready to go out, as SSE text. */
  take(): string {
    const text = this.out.join("");
    this.out = [];
    return text;
  }
}

/** A chunk's fields but its choices and usage (a tail chunk must not count the usage twice). */
function envelopeOf(chunk: Json): Json {
  const { choices: _choices, usage: _usage, ...envelope } = chunk;
  return envelope;
}

function tailChoice(index: number, chat: boolean, tails: Tails): Json {
  if (!chat) return { index, text: tails.text, finish_reason: null };
  const tool_calls = [...tails.args].map(([tool, args]) => ({ index: tool, function: { arguments: args } }));
  const delta = { ...(tails.text ? { content: tails.text } : {}), ...(tool_calls.length > 0 ? { tool_calls } : {}) };
  return { index, delta, finish_reason: null };
}
