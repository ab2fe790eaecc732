import type { Context } from "hono";
import type { ProviderId } from "../schema/provider-ids";
import type { Usage } from "../schema/openai-response";
import type { Settings } from "./settings";

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
 * Routing: which provider and model served the request, and how. Written by src/pipeline (parse.ts and models.ts:
 * requestedModel; resolve-targets.ts, models.ts, attempt.ts: provider, stream; attempt.ts and stream.ts:
 * servedModel; route.ts: attempts; respond.ts: lastUsedOptionIndex, retryAttemptCount; upstreamMs through
 * lib/fetch-upstream.ts and upstream-models.ts, which time the call into the record they are handed).
 * The one other writer is a cache hit (src/cache/respond.ts), which stands in for the provider call it saves and
 * fills provider, servedModel and stream exactly as that call would have, so the log shows what was served.
 */
export interface RouteOutcome {
  provider?: ProviderId;
  requestedModel?: string;
  servedModel?: string;
  /** The client asked for (and got) SSE. */
  stream: boolean;
  /** Every try of every target, in order (routing engine's trail). */
  attempts?: AttemptRecord[];
  /** Config path of the target that answered (or was tried last). */
  lastUsedOptionIndex?: string;
  /** Retries on that target. */
  retryAttemptCount?: number;
  /** Milliseconds from the first upstream fetch to its response headers (also the Server-Timing `upstream`). */
  upstreamMs?: number;
}

/**
 * The answer's accounting. Written by whoever produced the answer: src/pipeline/attempt.ts (JSON) or
 * src/pipeline/stream.ts (SSE chunks), or on a hit src/cache/respond.ts (the stored entry's usage) in the
 * provider call's stead. Read by the logger (cost, tokens), governance settlement and the cache store.
 */
export interface AnswerOutcome {
  usage?: Usage;
  finishReason?: string | null;
}

/**
 * The streamed body's life. Written by src/pipeline/stream.ts (the SSE translator), with two exceptions: a cache
 * hit replayed as SSE sets firstTokenMs (src/cache/respond.ts, as for usage), and the logger sets `error` when it
 * gives up waiting for `done` (src/observability/middleware.ts: the stream is then not known to be complete, which
 * also keeps the cache from storing it).
 */
export interface StreamOutcome {
  /** Resolves when the response body (stream included) has been fully sent or has failed. Unset for JSON answers. */
  done?: Promise<void>;
  /** Milliseconds from the request's arrival to the first byte of a streamed answer. */
  firstTokenMs?: number;
  /**
   * The text of a streamed answer (choices' delta content, concatenated, capped), so a stream that carried no
   * usage can still be estimated.
   */
  streamedText?: string;
  /** Set when an upstream stream broke (or the client left) after the first byte went out. */
  error?: string;
}

/** The response cache's part. Written by src/cache/index.ts only. */
export interface CacheOutcome {
  /** As sent in x-portkey-cache-status. */
  status?: "HIT" | "MISS" | "SEMANTIC HIT" | "REFRESH" | "DISABLED";
  /** The KV key of the exact entry this request read or wrote (no secret in it); POST /admin/cache/invalidate takes it. */
  key?: string;
  /**
   * On a HIT or SEMANTIC HIT, what the answer would have cost (the stored usage at today's list price of the model
   * that produced it; 0 when unpriced). Unset otherwise. The hit itself costs nothing.
   */
  savedUsd?: number;
}

/**
 * Governance's part: ids only, never secrets. Written by src/governance (auth.ts: gatewayKeyId, user, logBodies;
 * request.ts: user from metadata; admission.ts, and named-target.ts for GET /v1/models: virtualKeyId; every
 * refusal of theirs: deniedBy). The one outside writer is the guardrail step's deniedBy "guardrail" (below).
 */
export interface GovernanceOutcome {
  gatewayKeyId?: string;
  /** The virtual key that served the request. */
  virtualKeyId?: string;
  /** The end user: metadata `_user`, else the gateway key's user. */
  user?: string;
  /**
   * Set when the gateway itself refused the request. Governance's refusals, plus "guardrail" from the guardrail
   * step (src/pipeline/guardrail-*.ts): a guardrail verdict is a refusal decided outside governance's checks.
   */
  deniedBy?: "auth" | "rate_limit" | "budget" | "guardrail" | "validation";
  /** The gateway key's own body-logging choice; undefined falls back to the LOG_BODIES var. */
  logBodies?: boolean;
}

/** The error the client got, as an OpenAI envelope. Written by app.ts onError only. */
export interface ErrorOutcome {
  /** Status the client saw. */
  status: number;
  type: string;
  message: string;
}

/**
 * What happened to one request: the request logger's whole input besides the HTTP status and the headers.
 * Created by middleware/request-context.ts with every sub-record that has no required field already present
 * (`route`, `answer`, `stream`, `cache`, `governance`), so readers never null-check a sub-record. Each part has
 * one owner that writes it while the request runs (see each type); anyone may read. Nothing here is sent to the
 * client (beyond what its owner also puts on the response).
 *
 * The logger (observability/middleware.ts -> build.ts) reads it once, after the response body is done: it awaits
 * `stream.done` (bounded), so usage, finish reason and stream error of a streamed answer are final by then.
 */
export interface RequestOutcome {
  route: RouteOutcome;
  answer: AnswerOutcome;
  stream: StreamOutcome;
  cache: CacheOutcome;
  governance: GovernanceOutcome;
  /** Set only when the request ended in an error response. */
  error?: ErrorOutcome;
  /**
   * The prompt a /v1/prompts/{id}/... request ran: its id, version and the label that chose it (null without one).
   * Written by src/pipeline/prompt.ts once the version is chosen, with the variables the request sent (logged only
   * with the bodies, src/observability/prompt-variables.ts).
   */
  prompt?: { id: string; version: number; label: string | null; variables?: Record<string, unknown> };
  /** The caller's x-portkey-metadata, validated. Written by src/pipeline/parse.ts. */
  metadata?: Record<string, string>;
  /**
   * The client's parsed JSON body (a reference, no copy), for token estimates and body logging. Written by
   * src/pipeline/parse.ts; read after the response only; never mutate it.
   */
  requestBody?: unknown;
  /**
   * Credentials this request used that the caller never sent (a virtual key's provider key): redacted from every
   * error the client gets and from the request log, like the credentials the caller did send. Written by
   * src/pipeline (resolve-targets.ts, models.ts) when the targets are resolved.
   */
  redact?: string[];
  /**
   * Values a guardrail took out of the request (original -> its PII placeholder): an input redaction whose answer
   * gets the originals back (`restore`), or PII an input hook denied on. The logger writes the placeholder wherever
   * such a value appears in a logged body, so the log holds what the provider saw. Written by
   * src/pipeline/guardrail-log-privacy.ts only. Never logged.
   */
  loggedPlaceholders?: Map<string, string>;
  /**
   * Portkey's hook_results of the guardrails that ran (ids, verdicts, timings, transformed flags; never matched
   * values). Written by src/pipeline (guardrail-*.ts) only; the logger stores it, the 446 body and JSON answers
   * carry it. Typed loosely here: the kernel may not import guardrails/ (its type is HookResults there).
   */
  guardrails?: { before_request_hooks: unknown[]; after_request_hooks: unknown[] };
  /**
   * One entry per moderation classifier call the guardrails made (default.moderation), priced by the logger into
   * the event's guardrail_cost_usd. Written by src/pipeline/guardrail-classifier.ts only.
   */
  classifierUsage?: ClassifierUsage[];
}

/** The tokens one classifier call used, as its provider reported them or estimated from the text judged. */
export interface ClassifierUsage {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
}

/** A fresh outcome, as every request starts with (and as a scratch record for calls that are not the request's). */
export function emptyOutcome(): RequestOutcome {
  return { route: { stream: false }, answer: {}, stream: {}, cache: {}, governance: {} };
}

export interface AppVariables {
  traceId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  outcome: RequestOutcome;
  /** The Worker's vars, parsed once per env object (src/settings.ts). */
  settings: Settings;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;
