import { ANTHROPIC_BASE_URL, ANTHROPIC_VERSION } from "../../../providers/anthropic";
import { parseAnthropicResponse } from "../../../providers/anthropic/response";
import type { ResolvedTarget, UpstreamCall } from "../../../providers/types";
import type { z } from "zod";
import { messagesRequestSchema } from "../../../schema/anthropic-messages";
import { validateJsonBody } from "../../lib/body";
import { pipeAnthropicStream } from "./anthropic-native-stream";
import type { NativePlan } from "./types";

/** The client's Messages body, as read: the parsed JSON (never mutated) and its exact text. */
export interface ClientBody {
  json: Record<string, unknown>;
  raw: string | undefined;
}

/**
 * The body Anthropic gets: the client's bytes as sent when no override_params apply (cache_control, thinking
 * blocks with their signatures, fields we do not know: all untouched); with overrides (a config's, or the model a
 * virtual key's `@slug/model` leaves), the client's JSON with them merged on top, validated again.
 */
export function nativeBody(
  body: ClientBody,
  overrides: Record<string, unknown> | undefined,
  schema: z.ZodType = messagesRequestSchema,
): string {
  if (!overrides || Object.keys(overrides).length === 0) return body.raw ?? JSON.stringify(body.json);
  const merged = { ...body.json, ...overrides };
  validateJsonBody(schema, merged);
  return JSON.stringify(merged);
}

/** POST {base}/messages (or /messages/count_tokens) with the target's key; forwarded headers are added by attempt(). */
export function anthropicCall(target: ResolvedTarget, path: string, body: string): UpstreamCall {
  const headers: Record<string, string> = {
    "anthropic-version": ANTHROPIC_VERSION,
    "content-type": "application/json",
  };
  if (target.apiKey) headers["x-api-key"] = target.apiKey;
  return { url: `${target.customHost ?? ANTHROPIC_BASE_URL}${path}`, headers, body };
}

/** The native attempt of a Messages request on an Anthropic target; `served` is called when its answer is the one sent. */
export function anthropicNativePlan(
  target: ResolvedTarget,
  body: string,
  stream: boolean,
  served: () => void,
): NativePlan {
  return {
    call: anthropicCall(target, "/messages", body),
    stream,
    account: (json, ctx) => {
      const completion = parseAnthropicResponse(json, ctx);
      served();
      return completion;
    },
    pipeStream: (upstream, ctx, options) => {
      served();
      return pipeAnthropicStream(upstream, ctx, options);
    },
  };
}
