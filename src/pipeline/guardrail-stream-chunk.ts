/*
 * One OpenAI stream chunk as the stream judge (guarded-stream.ts) sees it: the text each choice carries (chat
 * `delta.content` or a completion's `text`) and each streamed tool call's argument fragment, keyed by the choice's
 * `index` (so `n > 1` choices are never mixed), and the same frame re-serialised with some of those texts
 * replaced (a redaction). Frames nothing replaces are never re-serialised.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What one choice of a chunk carries: its text (null when it has no text field) and tool-call fragments. */
export interface ChoicePart {
  index: number;
  text: string | null;
  /** `delta.tool_calls[]`: the call's `index` and its arguments fragment ("" when the call has none yet). */
  tools: { index: number; args: string }[];
  /** The choice carries a `finish_reason`: its last chunk. */
  finished: boolean;
  /** A chat chunk's choice (`delta`), as opposed to a completion's (`text`). */
  chat: boolean;
}

/** Tool-call arguments are buffered per choice and per call index. */
export const toolKey = (choice: number, tool: number) => `${choice}:${tool}`;

export function parseChunk(data: string): Json | null {
  try {
    const chunk: unknown = JSON.parse(data);
    return isObject(chunk) ? chunk : null;
  } catch {
    return null;
  }
}

const choicesOf = (chunk: Json | null): unknown[] => (chunk && Array.isArray(chunk.choices) ? chunk.choices : []);

/** A choice's `index`, or its place in the array when a provider leaves it out. */
const indexOf = (choice: Json, position: number) => (typeof choice.index === "number" ? choice.index : position);

function textOf(choice: Json): string | null {
  if (isObject(choice.delta) && typeof choice.delta.content === "string") return choice.delta.content;
  return typeof choice.text === "string" ? choice.text : null;
}

function toolsOf(choice: Json): ChoicePart["tools"] {
  const calls: unknown = isObject(choice.delta) ? choice.delta.tool_calls : undefined;
  if (!Array.isArray(calls)) return [];
  return calls.flatMap((call: unknown, position) => {
    if (!isObject(call)) return [];
    const args = isObject(call.function) && typeof call.function.arguments === "string" ? call.function.arguments : "";
    return [{ index: typeof call.index === "number" ? call.index : position, args }];
  });
}

const partOf = (choice: Json, index: number): ChoicePart => ({
  index,
  text: textOf(choice),
  tools: toolsOf(choice),
  finished: choice.finish_reason !== undefined && choice.finish_reason !== null,
  chat: isObject(choice.delta),
});

/** Every choice of a chunk with what it carries. */
export function chunkParts(chunk: Json | null): ChoicePart[] {
  return choicesOf(chunk).flatMap((choice, position) =>
    isObject(choice) ? [partOf(choice, indexOf(choice, position))] : [],
  );
}

/** Replacement texts for one frame: per choice index its text, per tool key its arguments. */
export interface FrameEdits {
  text: Map<number, string>;
  args: Map<string, string>;
}

function editedTools(calls: unknown, choice: number, args: ReadonlyMap<string, string>): unknown {
  if (!Array.isArray(calls)) return calls;
  return calls.map((call: unknown, position) => {
    if (!isObject(call)) return call;
    const replaced = args.get(toolKey(choice, typeof call.index === "number" ? call.index : position));
    if (replaced === undefined) return call;
    return { ...call, function: { ...(isObject(call.function) ? call.function : {}), arguments: replaced } };
  });
}

function editedChoice(choice: Json, index: number, edits: FrameEdits): Json {
  const text = edits.text.get(index);
  let out = choice;
  if (text !== undefined)
    out =
      isObject(out.delta) && typeof out.delta.content === "string"
        ? { ...out, delta: { ...out.delta, content: text } }
        : { ...out, text };
  if (isObject(out.delta) && Array.isArray(out.delta.tool_calls) && edits.args.size > 0)
    out = { ...out, delta: { ...out.delta, tool_calls: editedTools(out.delta.tool_calls, index, edits.args) } };
  return out;
}

/** The frame re-serialised with the edits applied to its choices (other fields kept as they are). */
export function editedFrame(data: string, edits: FrameEdits): string {
  const chunk = parseChunk(data);
  if (!chunk || !Array.isArray(chunk.choices)) return `data: ${data}\n\n`;
  const choices = chunk.choices.map((choice: unknown, position) =>
    isObject(choice) ? editedChoice(choice, indexOf(choice, position), edits) : choice,
  );
  return `data: ${JSON.stringify({ ...chunk, choices })}\n\n`;
}
