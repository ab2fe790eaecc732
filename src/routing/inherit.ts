import type { CacheConfig, ConfigNode, RetryConfig, RoutingConfig, StrategyConfig } from "../../schema/config";
import { breakerSettings, DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from "./breaker/state";

const HOOK_KEYS = ["input_guardrails", "output_guardrails", "before_request_hooks", "after_request_hooks"] as const;
export type Hooks = Partial<Record<(typeof HOOK_KEYS)[number], unknown[]>>;

/** What a node passes down to its targets (docs/contract.md: retry, cache, request_timeout, custom_host, hooks inherit). */
export interface Inherited {
  retry?: RetryConfig;
  cache?: CacheConfig;
  requestTimeout?: number;
  customHost?: string;
  /** Names of client headers to pass upstream; a child's own list replaces the inherited one. */
  forwardHeaders?: string[];
  /** Merged from the root down, shallowly: a child's key wins over its parent's. */
  overrideParams: Record<string, unknown>;
  /** A child's own list replaces the inherited one (lists are not concatenated). */
  hooks: Hooks;
  /** From the nearest `strategy.cb_config` above, field by field over the defaults. */
  breaker: BreakerSettings;
}

export const ROOT_SETTINGS: Inherited = { overrideParams: {}, hooks: {}, breaker: DEFAULT_BREAKER_SETTINGS };

/** Loadbalance weight of a target that does not set one. */
export const DEFAULT_WEIGHT = 1;

export function inherit(parent: Inherited, node: ConfigNode): Inherited {
  const hooks: Hooks = { ...parent.hooks };
  for (const key of HOOK_KEYS) {
    const own = node[key];
    if (own) hooks[key] = own;
  }
  const settings: Inherited = {
    overrideParams: { ...parent.overrideParams, ...node.override_params },
    hooks,
    breaker: node.strategy?.cb_config ? breakerSettings(node.strategy.cb_config, parent.breaker) : parent.breaker,
  };
  const retry = node.retry ?? parent.retry;
  const cache = node.cache ?? parent.cache;
  const requestTimeout = node.request_timeout ?? parent.requestTimeout;
  const customHost = node.custom_host ?? parent.customHost;
  if (retry) settings.retry = retry;
  if (cache) settings.cache = cache;
  if (requestTimeout !== undefined) settings.requestTimeout = requestTimeout;
  if (customHost !== undefined) settings.customHost = customHost;
  const forwardHeaders = node.forward_headers ?? parent.forwardHeaders;
  if (forwardHeaders) settings.forwardHeaders = forwardHeaders;
  return settings;
}

interface NodeBase {
  /** Where the node sits in the config: `config`, `config.targets[1].targets[0]`. */
  path: string;
  name?: string;
  weight: number;
}
export type PlanNode<L> =
  | (NodeBase & { kind: "leaf"; leaf: L })
  | (NodeBase & { kind: "group"; strategy: StrategyConfig; children: PlanNode<L>[] });

/** A target as the config describes it, with everything it inherited. */
export interface LeafSpec {
  path: string;
  node: ConfigNode;
  settings: Inherited;
}

/** The config as a tree of paths, strategies and leaves carrying their effective (inherited) settings. */
export function buildPlan(
  config: RoutingConfig,
  path = "config",
  parent: Inherited = ROOT_SETTINGS,
): PlanNode<LeafSpec> {
  const settings = inherit(parent, config);
  const base: NodeBase = { path, weight: config.weight ?? DEFAULT_WEIGHT };
  if (config.name !== undefined) base.name = config.name;
  if (config.strategy && config.targets) {
    const children = config.targets.map((child, i) => buildPlan(child, `${path}.targets[${i}]`, settings));
    return { ...base, kind: "group", strategy: config.strategy, children };
  }
  return { ...base, kind: "leaf", leaf: { path, node: config, settings } };
}

export function leavesOf<L>(node: PlanNode<L>): L[] {
  return node.kind === "leaf" ? [node.leaf] : node.children.flatMap((child) => leavesOf(child));
}

/** Replace every leaf (all at once, concurrently), keeping the shape of the tree. */
export async function mapLeaves<A, B>(node: PlanNode<A>, fn: (leaf: A) => Promise<B>): Promise<PlanNode<B>> {
  if (node.kind === "leaf") return { ...node, leaf: await fn(node.leaf) };
  const children = await Promise.all(node.children.map((child) => mapLeaves(child, fn)));
  return { ...node, children };
}
