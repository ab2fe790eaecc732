import type { ChatCompletion } from "../../../schema/openai-response";
import type { ResponseContext, UpstreamCall } from "../../../providers/types";
import type { AppContext, RequestOutcome } from "../../context";
import type { GatewayError } from "../../errors";
import type { OperationRequest } from "../../routing/request";
import type { RoutedTarget } from "../../routing/targets";

/**
 * Inbound formats: front doors that speak an API other than OpenAI's chat completions (Anthropic Messages on
 * /v1/messages; OpenAI Responses on /v1/responses can use the same plumbing). The pipeline stays one: every step
 * (config, targets, cache, limits, routing, the log) works on the gateway's chat request, and the format is only
 * translated at the two edges, plus one optional native path per target.
 *
 *   1. route      creates the format's Inbound for this request and calls `handleV1(c, "chat", inbound)`
 *   2. parse      `startReadingInbound` (inbound/read.ts) reads the body and hands it to `inbound.toChat`, which
 *                 validates it (400 naming the field) and returns the chat request JSON every later step sees
 *   3. attempt    `inbound.nativeCall(request, routed)`: a target that speaks the format itself (Anthropic for
 *                 Messages) gets the client's body as sent and answers in the client's format (the Plan below);
 *                 null means "translate": the chat adapter is used, as for /v1/chat/completions. A target that
 *                 needs a translation the request cannot have throws a 400 here (see TranslationProblems).
 *   4. respond    `inbound.fromChat(response)`: the pipeline's answer (chat JSON or chat SSE, from a provider or
 *                 the cache) in the client's format; an answer the native path produced is returned as it is.
 *   5. errors     the format's ErrorDialect is set per request by `errorDialect()` (inbound/dialect.ts, first of the
 *                 /v1 middleware) and app.ts's one onError renders every error with it.
 */
export interface Inbound {
  /**
   * The client's parsed JSON body -> the chat request JSON. Throws GatewayError (400) for an invalid body. May
   * return a promise (read.ts awaits it like the body): the Responses inbound reads previous_response_id from D1.
   */
  toChat(json: unknown): unknown;
  /**
   * The native call for a target that speaks the format, or null to translate through chat. `request` is what this
   * target receives (after input guardrails); `c` gives the request's guardrails (native-input.ts).
   */
  nativeCall(request: OperationRequest, routed: RoutedTarget, c: AppContext): NativePlan | null;
  /**
   * An attempt starts (before the cache lookup; inbound/attempts.ts): forget whether an earlier attempt's answer
   * was native. A cache hit never calls nativeCall and is always a chat answer, to be translated by fromChat.
   */
  attemptStarting(): void;
  /** The pipeline's answer, in the client's format (same status and headers). */
  fromChat(response: Response): Promise<Response>;
}

/** What the stream pipe of a native answer needs: the outcome to fill, and what must not reach the client. */
export interface NativeStreamOptions {
  outcome: RequestOutcome;
  startedAt: number;
  /** Credentials the provider must not echo (attempt.ts answerSecrets). */
  secrets: readonly string[];
}

/** A native attempt: the provider's call, and how its 2xx answer is accounted for while it goes out as it came. */
export interface NativePlan {
  call: UpstreamCall;
  stream: boolean;
  /** The answer as a chat completion, for the outcome only (usage, model, finish reason): the client gets the text. */
  account: (json: unknown, ctx: ResponseContext) => ChatCompletion;
  /** The client's body: the upstream stream, passed through and observed for the outcome. */
  pipeStream: (
    upstream: ReadableStream<Uint8Array>,
    ctx: ResponseContext,
    options: NativeStreamOptions,
  ) => ReadableStream<Uint8Array>;
}

/** How errors look in a format: the body the client gets for a GatewayError (its status stays the gateway's). */
export type ErrorDialect = (error: GatewayError) => object;

// Per-request Hono variables, declared here so the kernel's context.ts needs no pipeline type.
declare module "hono" {
  interface ContextVariableMap {
    /** The inbound format of this request; unset for OpenAI-format routes. */
    inbound?: Inbound;
    /** How app.ts's onError renders errors for this request; unset means the OpenAI envelope. */
    errorDialect?: ErrorDialect;
  }
}

export function inboundOf(c: AppContext): Inbound | null {
  return c.var.inbound ?? null;
}
