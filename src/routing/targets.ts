import type { RetryConfig } from "../../schema/config";
import type { ProviderId } from "../../schema/provider-ids";
import type { AwsOptions, AzureOptions, ResolvedTarget } from "../../providers/types";
import type { VertexOptions } from "../../providers/vertex/options";
import type { BreakerSettings } from "./breaker/state";

/*
 * The shapes a resolved config target takes. They live here, below the pipeline that builds them and beside the
 * engine that runs them, so that routing, cache and governance can name them without importing the pipeline.
 */

/** One resolved target plus what it changes about the request: what attempt() needs for one call. */
export interface RoutedTarget {
  target: ResolvedTarget;
  overrideParams?: Record<string, unknown>;
  /** Per-attempt timeout to first byte, ms. */
  requestTimeoutMs?: number;
  /** Client headers passed upstream (forward-headers.ts), merged into the adapter's call by attempt(). */
  forwardHeaders?: Record<string, string>;
}

/** A config leaf, ready to run: where it sits, whom to call, and how to retry and guard it (what the engine needs). */
export interface RoutedLeaf {
  path: string;
  provider: ProviderId;
  routed: RoutedTarget;
  retry?: RetryConfig;
  /** Null when the request has a single target: with nothing to fall back to, a breaker could only turn it away. */
  breaker: { key: string; settings: BreakerSettings } | null;
}

/**
 * What the x-portkey-* headers contribute. Without a config they describe the only target; with one they are
 * defaults under every target's own fields (as today's single-target inline config behaved).
 */
export interface HeaderDefaults {
  provider?: string;
  apiKey?: string;
  customHost?: string;
  azure: AzureOptions;
  /** x-portkey-aws-*: Bedrock credentials and region (src/routing/aws-options.ts). */
  aws?: AwsOptions;
  /** x-portkey-vertex-*: Vertex AI project, region and service account (src/routing/vertex-options.ts). */
  vertex?: VertexOptions;
  /** x-portkey-request-timeout: overrides every target's request_timeout. */
  requestTimeoutMs?: number;
  /** x-portkey-virtual-key: the slug of a stored provider credential. */
  virtualKey?: string;
  /** x-portkey-workers-ai-account-id: the Cloudflare account of Workers AI calls over REST. */
  workersAiAccountId?: string;
  /** The client's headers and x-portkey-forward-headers' names: what header forwarding draws on. */
  forward?: { client: Headers; names: string[] };
}
