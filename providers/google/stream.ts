import type { ChatCompletionChunk, ChunkDelta, ChunkToolCallDelta, FinishReason } from "../../schema/openai-response";
import { makeChunk, makeUsageChunk } from "../shared/chunks";
import { parseJsonText, parseUpstream } from "../shared/json";
import type { SseEvent } from "../shared/sse";
import { IncompleteStreamError, type ChatStreamMapper, type ResponseContext } from "../types";
import { GoogleStreamError, googleErrorObject } from "./errors";
import {
  isFunctionCallPart,
  mapFinishReason,
  mapUsage,
  toToolCall,
  type FunctionCallPart,
  type GoogleToolCall,
} from "./mapping";
import {
  generateContentResponseSchema,
  type GeminiCandidate,
  type GeminiUsageMetadata,
  type GenerateContentResponse,
} from "./wire";

/**
 * `streamGenerateContent?alt=sse` -> OpenAI chunks. Every event's data is a whole `GenerateContentResponse` holding
 * the next piece of each candidate; function calls arrive whole, so each becomes one complete tool-call delta.
 * Per candidate (choice index): the first chunk carries `role: "assistant"`, text parts become `content`, thought
 * parts `reasoning_content`, and the finishReason becomes a final chunk with an empty delta. Gemini repeats
 * `usageMetadata` on each event; the last one becomes the usage chunk sent at the end of a finished stream.
 */

interface CandidateState {
  roleSent: boolean;
  toolCalls: number;
  finished: boolean;
}

/** A tool-call delta keeping the thought signature (see `GoogleToolCall`). */
interface GoogleToolCallDelta extends ChunkToolCallDelta {
  extra_content?: GoogleToolCall["extra_content"];
}

function toolCallDelta(part: FunctionCallPart, index: number): GoogleToolCallDelta {
  const call = toToolCall(part);
  const delta: GoogleToolCallDelta = { index, id: call.id, type: "function", function: call.function };
  if (call.extra_content) delta.extra_content = call.extra_content;
  return delta;
}

class GoogleStreamMapper implements ChatStreamMapper {
  private id: string | null = null;
  private ctx: ResponseContext;
  private readonly candidates = new Map<number, CandidateState>();
  private usage: GeminiUsageMetadata = {};

  constructor(private readonly baseCtx: ResponseContext) {
    this.ctx = baseCtx;
  }

  onEvent(event: SseEvent): ChatCompletionChunk[] {
    const json = parseJsonText(event.data, "a stream event");
    const error = googleErrorObject(json);
    if (error) throw GoogleStreamError.from(error);
    const response = parseUpstream(generateContentResponseSchema, json, "stream chunk");
    if (this.id === null) {
      this.id = response.responseId || this.baseCtx.fallbackId;
      if (response.modelVersion) this.ctx = { ...this.baseCtx, model: response.modelVersion };
    }
    if (response.usageMetadata) this.usage = response.usageMetadata;
    return this.chunksOf(response);
  }

  end(): ChatCompletionChunk[] {
    const states = [...this.candidates.values()];
    if (states.length === 0 || states.some((state) => !state.finished)) {
      throw new IncompleteStreamError("google stream ended before a finishReason");
    }
    return [makeUsageChunk(this.ctx, this.id ?? this.baseCtx.fallbackId, mapUsage(this.usage))];
  }

  private chunksOf(response: GenerateContentResponse): ChatCompletionChunk[] {
    const candidates = response.candidates ?? [];
    if (candidates.length === 0) {
      // A prompt blocked before generation: no candidates, only promptFeedback.blockReason.
      return response.promptFeedback?.blockReason ? this.finish(0, "content_filter") : [];
    }
    return candidates.flatMap((candidate, position) => this.candidateChunks(candidate, candidate.index ?? position));
  }

  private candidateChunks(candidate: GeminiCandidate, index: number): ChatCompletionChunk[] {
    const state = this.state(index);
    const chunks: ChatCompletionChunk[] = [];
    for (const part of candidate.content?.parts ?? []) {
      if (isFunctionCallPart(part)) {
        chunks.push(this.chunk(index, { tool_calls: [toolCallDelta(part, state.toolCalls++)] }));
      } else if (typeof part.text === "string" && part.text !== "") {
        chunks.push(this.chunk(index, part.thought ? { reasoning_content: part.text } : { content: part.text }));
      }
    }
    if (candidate.finishReason && !state.finished) {
      chunks.push(...this.finish(index, mapFinishReason(candidate.finishReason, state.toolCalls > 0)));
    }
    return chunks;
  }

  private finish(index: number, reason: FinishReason): ChatCompletionChunk[] {
    const state = this.state(index);
    if (state.finished) return [];
    state.finished = true;
    return [this.chunk(index, {}, reason)];
  }

  private state(index: number): CandidateState {
    let state = this.candidates.get(index);
    if (!state) {
      state = { roleSent: false, toolCalls: 0, finished: false };
      this.candidates.set(index, state);
    }
    return state;
  }

  private chunk(index: number, delta: ChunkDelta, reason: FinishReason | null = null): ChatCompletionChunk {
    const state = this.state(index);
    const withRole: ChunkDelta = state.roleSent ? delta : { role: "assistant", ...delta };
    state.roleSent = true;
    const chunk = makeChunk(this.ctx, this.id ?? this.baseCtx.fallbackId, withRole, reason);
    for (const choice of chunk.choices) choice.index = index;
    return chunk;
  }
}

export function createGoogleStreamMapper(ctx: ResponseContext): ChatStreamMapper {
  return new GoogleStreamMapper(ctx);
}
