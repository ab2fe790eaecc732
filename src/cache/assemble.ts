import type { SseEvent } from "../../providers/shared/sse";
import { mergeDeltaField, mergeLogprobs, mergeRepeatedField, type Fields, type Logprobs } from "./merge";
import {
  chatChunkSchema,
  completionChunkSchema,
  toolCallDeltaSchema,
  type ChatChunk,
  type CompletionChunk,
} from "./shapes";

/** A streamed answer turned back into the body a non-streamed request would have got. */
export interface Assembled {
  body: Record<string, unknown>;
}

interface ToolCallAcc {
  id?: string;
  type?: string;
  name: string;
  arguments: string;
  extra: Record<string, unknown>;
}

interface ChoiceAcc {
  /** Every message field but tool_calls, merged as the openai SDK merges them (merge.ts). */
  message: Fields;
  toolCalls: Map<number, ToolCallAcc>;
  logprobs: Logprobs | null;
  finishReason: string | null;
  /** Other choice-level fields (Azure's content_filter_results, ...): the last value stands. */
  extra: Fields;
}

/**
 * Random padding OpenAI adds to stream events (stream_options.include_obfuscation) against length side channels:
 * it belongs to the stream, not the answer, wherever a provider puts it.
 */
const PADDING = "obfuscation";
/** Chunk and choice fields that are not carried over as they are. */
const CHUNK_STRUCTURE = new Set(["id", "object", "created", "model", "choices", "usage", PADDING]);
const CHOICE_STRUCTURE = new Set(["index", "delta", "finish_reason", "logprobs", PADDING]);

/** The `data` of every event, which must end with `[DONE]`: a stream without it was cut and is never stored. */
function payloads(events: readonly SseEvent[]): unknown[] | null {
  if (events.at(-1)?.data !== "[DONE]") return null;
  const out: unknown[] = [];
  for (const event of events.slice(0, -1)) {
    try {
      out.push(JSON.parse(event.data));
    } catch {
      return null;
    }
  }
  return out;
}

function applyToolCalls(acc: ChoiceAcc, value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) {
    const parsed = toolCallDeltaSchema.safeParse(item);
    if (!parsed.success) return false;
    const { index, id, type, function: fn, ...extra } = parsed.data;
    const call = acc.toolCalls.get(index) ?? { name: "", arguments: "", extra: {} };
    if (id) call.id = id;
    if (type) call.type = type;
    // As the openai SDK accumulates: a name arrives whole, arguments in pieces.
    if (fn?.name) call.name = fn.name;
    if (fn?.arguments) call.arguments += fn.arguments;
    Object.assign(call.extra, extra);
    acc.toolCalls.set(index, call);
  }
  return true;
}

function applyDelta(acc: ChoiceAcc, delta: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(delta)) {
    if (key === PADDING) continue;
    if (key !== "tool_calls") mergeDeltaField(acc.message, key, value);
    else if (value !== null && value !== undefined && !applyToolCalls(acc, value)) return false;
  }
  return true;
}

function chatChoice(index: number, acc: ChoiceAcc): Record<string, unknown> {
  const message: Record<string, unknown> = { role: "assistant", content: null, ...acc.message };
  if (acc.toolCalls.size > 0) {
    message.tool_calls = [...acc.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        ...call.extra,
        id: call.id ?? "",
        type: call.type ?? "function",
        function: { name: call.name, arguments: call.arguments },
      }));
  }
  return { ...acc.extra, index, message, logprobs: acc.logprobs, finish_reason: acc.finishReason };
}

function assembleChat(chunks: ChatChunk[]): Assembled | null {
  const [first] = chunks;
  if (!first) return null;
  const choices = new Map<number, ChoiceAcc>();
  const extra: Fields = {};
  let usage: unknown = undefined;
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const [key, value] of Object.entries(chunk))
      if (!CHUNK_STRUCTURE.has(key)) mergeRepeatedField(extra, key, value);
    for (const choice of chunk.choices) {
      const acc = choices.get(choice.index) ?? {
        message: {},
        toolCalls: new Map(),
        logprobs: null,
        finishReason: null,
        extra: {},
      };
      choices.set(choice.index, acc);
      if (!applyDelta(acc, choice.delta)) return null;
      if (choice.finish_reason) acc.finishReason = choice.finish_reason;
      acc.logprobs = mergeLogprobs(acc.logprobs, choice.logprobs);
      for (const [key, value] of Object.entries(choice))
        if (!CHOICE_STRUCTURE.has(key)) mergeRepeatedField(acc.extra, key, value);
    }
  }
  // Every choice must have finished: a stream that stops without finish_reason is not an answer to replay.
  if (choices.size === 0 || [...choices.values()].some((acc) => acc.finishReason === null)) return null;
  const body: Record<string, unknown> = {
    ...extra,
    id: first.id,
    object: "chat.completion",
    created: first.created,
    model: first.model,
    choices: [...choices.entries()].sort(([a], [b]) => a - b).map(([index, acc]) => chatChoice(index, acc)),
  };
  if (usage) body.usage = usage;
  return { body };
}

function assembleCompletion(chunks: CompletionChunk[]): Assembled | null {
  const [first] = chunks;
  if (!first) return null;
  const choices = new Map<number, { text: string; finishReason: string | null }>();
  let usage: unknown = undefined;
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      // Legacy logprobs are parallel arrays per chunk; merging them is not worth it: such answers are not stored.
      if (choice.logprobs !== undefined && choice.logprobs !== null) return null;
      const acc = choices.get(choice.index) ?? { text: "", finishReason: null };
      acc.text += choice.text;
      if (choice.finish_reason) acc.finishReason = choice.finish_reason;
      choices.set(choice.index, acc);
    }
  }
  if (choices.size === 0 || [...choices.values()].some((acc) => acc.finishReason === null)) return null;
  const body: Record<string, unknown> = {
    id: first.id,
    object: "text_completion",
    created: first.created,
    model: first.model,
    choices: [...choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, acc]) => ({ index, text: acc.text, logprobs: null, finish_reason: acc.finishReason })),
  };
  if (usage) body.usage = usage;
  return { body };
}

/**
 * The client's SSE events (exactly what it received) back into a non-streamed body; null for anything that is
 * not a complete, well-formed answer (no [DONE], an error event, a choice without finish_reason).
 */
export function assembleStream(operation: "chat" | "completions", events: readonly SseEvent[]): Assembled | null {
  const data = payloads(events);
  if (!data) return null;
  if (operation === "chat") {
    const chunks: ChatChunk[] = [];
    for (const item of data) {
      const parsed = chatChunkSchema.safeParse(item);
      if (!parsed.success) return null;
      chunks.push(parsed.data);
    }
    return assembleChat(chunks);
  }
  const chunks: CompletionChunk[] = [];
  for (const item of data) {
    const parsed = completionChunkSchema.safeParse(item);
    if (!parsed.success) return null;
    chunks.push(parsed.data);
  }
  return assembleCompletion(chunks);
}
