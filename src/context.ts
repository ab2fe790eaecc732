import type { Context } from "hono";
import type { ProviderId } from "../schema/provider-ids";
import type { Usage } from "../schema/openai-response";

/** One try of one target (or a target passed over), as the routing engine saw it. */
export interface AttemptRecord {
  /** Config path of the target: `config`, `config.targets[1].targets[0]`. */
  target: string;
  provider: ProviderId;
  /** The model sent to the provider (after override_params), when known. */
  model?: string;
  /** 0 for the first try of this target, 1 for its first retry, ... */
  retry: number;
  /** The status of this try; absent when the target was skipped. */
  status?: number;
  latencyMs: number;
  /** The error's message, for failed tries. Never contains a credential. */
  error?: string;
  skipped?: "circuit_open" | "deadline";
  /** The response cache answered this try (HIT or SEMANTIC HIT): no provider call, nothing reported to the breaker. */
  cached?: boolean;
  /**
   * performance.now() when the try started (the clock of AppVariables.startedAt), so exported attempt spans sit at
   * their real offsets. Optional: without it the logger lays tries end to end from the request's start.
   */
  startedAt?: number;
}

/**
 * What happened to one request, filled in as the pipeline runs. The request logger (a later issue) reads it once
 * the response is done; nothing here is sent to the client.
 */
export interface RequestOutcome {
  provider?: ProviderId;
  requestedModel?: string;
  servedModel?: string;
  stream: boolean;
  /** Status the client saw (for streams: the HTTP status, with `streamError` set if it broke later). */
  status?: number;
  errorType?: string;
  errorMessage?: string;
  usage?: Usage;
  finishReason?: string | null;
  /** Set when an upstream stream broke after the first byte went out. */
  streamError?: string;
  /** Milliseconds from the first upstream fetch to its response headers. */
  upstreamMs?: number;
  /** Milliseconds from the request's arrival to the first byte of a streamed answer. */
  firstTokenMs?: number;
  /** Resolves when the response body (stream included) has been fully sent or has failed. */
  done?: Promise<void>;
  /** Every try of every target, in order (routing engine). */
  attempts?: AttemptRecord[];
  /** Config path of the target that answered (or was tried last). */
  lastUsedOptionIndex?: string;
  /** Retries on that target. */
  retryAttemptCount?: number;
  /** The caller's x-portkey-metadata, validated. */
  metadata?: Record<string, string>;
  /** Governance: the gateway key and the virtual key that served the request (ids only, never secrets). */
  gatewayKeyId?: string;
  virtualKeyId?: string;
  /** The end user: metadata `_user`, else the gateway key's user. */
  user?: string;
  /** As sent in x-portkey-cache-status. */
  cacheStatus?: "HIT" | "MISS" | "SEMANTIC HIT" | "REFRESH" | "DISABLED";
  /** Set when the gateway itself refused the request before any provider call. */
  deniedBy?: "auth" | "rate_limit" | "budget" | "guardrail" | "validation";
  /**
   * Observability: the client's parsed JSON body (a reference, no copy), for token estimates and body logging. Read
   * after the response only; never mutate it.
   */
  requestBody?: unknown;
  /**
   * Observability: the text of a streamed answer (choices' delta content, concatenated), so a stream that carried
   * no usage can still be estimated. Filled by the stream translator.
   */
  streamedText?: string;
  /**
   * Governance: the gateway key's own body-logging choice; undefined falls back to the LOG_BODIES var. Read by the
   * logger after the response, so it may be set at any point of the request.
   */
  logBodies?: boolean;
  /**
   * Cache: on a HIT or SEMANTIC HIT, what the answer would have cost (the stored usage at today's list price of
   * the model that produced it; 0 when unpriced). Unset otherwise. The hit itself costs nothing.
   */
  cacheSavedUsd?: number;
  /** Cache: the KV key of the exact entry this request read or wrote (no secret in it); POST /admin/cache/invalidate takes it. */
  cacheKey?: string;
  /**
   * Credentials this request used that the caller never sent (a virtual key's provider key): redacted from every
   * error the client gets and from the request log, like the credentials the caller did send.
   */
  redact?: string[];
}

export interface AppVariables {
  traceId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  outcome: RequestOutcome;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;
