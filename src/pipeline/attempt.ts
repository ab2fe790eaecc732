import { adapterFor } from "../../providers/registry";
import { isOpenAICompatible } from "../../schema/provider-ids";
import { createPassthroughStreamMapper } from "../../providers/openai-compatible/adapter";
import { parseJsonText } from "../../providers/shared/json";
import type {
  ChatStreamMapper,
  Operation,
  ProviderAdapter,
  ResponseContext,
  UpstreamCall,
} from "../../providers/types";
import type { Usage } from "../../schema/openai-response";
import type { AppContext, RequestOutcome } from "../context";
import { badRequest } from "../errors";
import { answerSecrets, targetCredentials, withoutSecrets } from "./answer-secrets";
import { checkUpstreamUrl, customHostPolicy } from "../lib/custom-host";
import { withForwardedHeaders } from "./forward-headers";
import { fetchUpstream } from "../lib/fetch-upstream";
import { callBinding } from "./binding-call";
import { upstreamError } from "./upstream";
import { translateStream } from "./stream";
import type { OperationRequest } from "../routing/request";
import type { RoutedTarget } from "../routing/targets";
import type { NativePlan } from "./inbound/types";

/** Any 2xx body we send back: chat completions, completions and embeddings all carry usage and a model. */
interface MappedBody {
  usage?: Omit<Usage, "completion_tokens"> & { completion_tokens?: number };
  model?: string;
  /** Chat and completions only; unknown because passthrough completions are not validated. */
  choices?: unknown;
}

/** The first choice's finish_reason of a JSON answer, as streams report it (embeddings have none). */
function finishReasonOf(mapped: MappedBody): string | undefined {
  const first: unknown = Array.isArray(mapped.choices) ? mapped.choices[0] : undefined;
  const reason: unknown =
    typeof first === "object" && first !== null ? (first as { finish_reason?: unknown }).finish_reason : undefined;
  return typeof reason === "string" ? reason : undefined;
}

interface Plan {
  call: UpstreamCall;
  stream: boolean;
  includeUsage: boolean;
  /** Maps a 2xx JSON body to what the client gets. */
  mapJson: (json: unknown, ctx: ResponseContext) => MappedBody;
  /** The provider already answers in OpenAI's format: send its text as it came (validated, not re-serialised). */
  passthrough: boolean;
  mapStream: (ctx: ResponseContext) => ChatStreamMapper;
  /** A native answer of an inbound format (inbound/types.ts): its stream goes out as it came, observed. */
  pipeStream?: NativePlan["pipeStream"];
}

/** A target the request's inbound format reaches natively: the client's body, and the answer as it comes. */
function nativePlanFor(c: AppContext, request: OperationRequest, routed: RoutedTarget): Plan | null {
  const native = c.var.inbound?.nativeCall(request, routed, c);
  if (!native) return null;
  const { call, stream, account, pipeStream } = native;
  return {
    call,
    stream,
    includeUsage: false,
    mapJson: account,
    passthrough: true,
    mapStream: createPassthroughStreamMapper,
    pipeStream,
  };
}

function unsupported(provider: string, operation: Operation): never {
  throw badRequest(
    `provider "${provider}" does not support ${operation}`,
    "x-portkey-provider",
    "unsupported_operation",
  );
}

function planFor(adapter: ProviderAdapter, request: OperationRequest, routed: RoutedTarget): Plan {
  const { target } = routed;
  const passthrough = isOpenAICompatible(target.provider);
  switch (request.operation) {
    case "chat": {
      const { body } = request;
      return {
        call: adapter.chat.buildRequest(body, target, request.raw),
        stream: body.stream === true,
        includeUsage: body.stream_options?.include_usage === true,
        mapJson: (json, ctx) => adapter.chat.parseResponse(json, ctx),
        mapStream: (ctx) => adapter.chat.createStreamMapper(ctx),
        passthrough,
      };
    }
    case "completions": {
      const completions = adapter.completions ?? unsupported(target.provider, "completions");
      const { body } = request;
      return {
        call: completions.buildRequest(body, target, request.raw),
        stream: body.stream === true,
        includeUsage: body.stream_options?.include_usage === true,
        // Only OpenAI-compatible providers offer completions: their answer is already in the client's format.
        mapJson: (json) => json as MappedBody,
        mapStream: createPassthroughStreamMapper,
        passthrough: true,
      };
    }
    case "embeddings": {
      const embeddings = adapter.embeddings ?? unsupported(target.provider, "embeddings");
      return {
        call: embeddings.buildRequest(request.body, target, request.raw),
        stream: false,
        includeUsage: false,
        mapJson: (json, ctx) => embeddings.parseResponse(json, ctx, request.body),
        mapStream: () => unsupported(target.provider, "embeddings"),
        passthrough,
      };
    }
  }
}

function responseContext(model: string): ResponseContext {
  let fallbackId: string | undefined;
  return {
    model,
    created: Math.floor(Date.now() / 1000),
    // Lazy: only providers that do not send an id need one, and randomUUID is not free.
    get fallbackId() {
      return (fallbackId ??= `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`);
    },
  };
}

/** The call's async auth step (SigV4, an OAuth token), run last so it sees the final URL, headers and body. */
const signed = async (call: UpstreamCall): Promise<UpstreamCall> => (call.sign ? call.sign(call) : call);

/**
 * One attempt against one target: build the provider request, call it, translate the answer. Throws GatewayError
 * for anything that is not a success; the routing engine decides whether to retry or fall back.
 */
export async function attempt(c: AppContext, request: OperationRequest, routed: RoutedTarget): Promise<Response> {
  const { outcome } = c.var;
  const provider = routed.target.provider;
  const adapter = adapterFor(provider);
  const plan = nativePlanFor(c, request, routed) ?? planFor(adapter, request, routed);
  // Whatever caller values went into the URL, it must still go where the custom-host policy allows.
  if (!plan.call.binding) checkUpstreamUrl(plan.call.url, routed.target.customHost, customHostPolicy(c.env));
  outcome.route.provider = provider;
  outcome.route.requestedModel = request.body.model;
  outcome.route.stream = plan.stream;

  // Workers AI without a token runs on the AI binding: no fetch, the same Response shape (binding-call.ts).
  const upstream = plan.call.binding
    ? await callBinding(plan.call.binding, c.env, routed.requestTimeoutMs, outcome.route)
    : await fetchUpstream(
        await signed(withForwardedHeaders(plan.call, routed.forwardHeaders)),
        routed.requestTimeoutMs,
        outcome.route,
      );
  if (!upstream.ok) {
    const error = await upstreamError(adapter, upstream, targetCredentials(routed.target));
    // OpenAI and Azure say how long to wait in ms too; the routing engine's retries read it (and clients may).
    const retryAfterMs = upstream.headers.get("retry-after-ms");
    if (retryAfterMs) error.extraHeaders["retry-after-ms"] = retryAfterMs;
    throw error;
  }
  const ctx = responseContext(request.body.model);
  // A provider (or a proxy before it) may echo the key it was sent in a 2xx body too, not only in errors.
  const secrets = answerSecrets(routed.target, outcome.redact);

  if (plan.stream && upstream.body && plan.pipeStream) {
    const body = plan.pipeStream(upstream.body, ctx, { outcome, startedAt: c.var.startedAt, secrets });
    return new Response(body, {
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    });
  }
  if (plan.stream && upstream.body) {
    const body = translateStream(upstream.body, plan.mapStream(ctx), {
      includeUsage: plan.includeUsage,
      outcome,
      startedAt: c.var.startedAt,
      secrets,
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
      },
    });
  }
  return jsonAnswer(await upstream.text(), plan, ctx, outcome, secrets);
}

/** A 2xx JSON answer: its facts go to the outcome (for the log), its text (redacted) to the client. */
function jsonAnswer(
  text: string,
  plan: Plan,
  ctx: ResponseContext,
  outcome: RequestOutcome,
  secrets: readonly string[],
): Response {
  const mapped = plan.mapJson(parseJsonText(text, "the response body"), ctx);
  if (mapped.usage) outcome.answer.usage = { ...mapped.usage, completion_tokens: mapped.usage.completion_tokens ?? 0 };
  if (mapped.model) outcome.route.servedModel = mapped.model;
  const finishReason = finishReasonOf(mapped);
  if (finishReason) outcome.answer.finishReason = finishReason;
  // Redacted before the cache's capture() sees the response, so a stored answer never holds the key either.
  const body = withoutSecrets(plan.passthrough ? text : JSON.stringify(mapped), secrets);
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}
