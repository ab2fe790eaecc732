import type { RoutingConfig } from "../../schema/config";
import type { AppContext } from "../context";
import type { ResolvedLeaf } from "../governance/leaf";
import { virtualKeyResolver } from "../governance/request";
import { buildPlan, leavesOf, mapLeaves, type LeafSpec, type PlanNode } from "../routing/inherit";
import type { ParsedRequest } from "./parse";
import { headerDefaults, resolveLeaf } from "./target";

/** The config as a tree of targets, each resolved (provider, credential, host, breaker), ready to route. */
export interface ResolvedTargets {
  /** The config's plan (unresolved leaves): the cache reads each node's settings from it. */
  plan: PlanNode<LeafSpec>;
  tree: PlanNode<ResolvedLeaf>;
  leaves: ResolvedLeaf[];
  hasConfig: boolean;
}

/**
 * Resolve every target before the first call, so a broken one answers 400 whichever target a strategy would pick.
 * Also notes, for the logger, the provider of a lone target and the stored keys the request may use.
 */
export async function resolveTargets(
  c: AppContext,
  config: RoutingConfig | null,
  request: ParsedRequest,
): Promise<ResolvedTargets> {
  const { outcome } = c.var;
  const plan = buildPlan(config ?? {});
  const json = request.json;
  const model = typeof json === "object" && json !== null && "model" in json ? json.model : undefined;
  const options = {
    hasConfig: config !== null,
    breakers: leavesOf(plan).length > 1,
    model,
    virtualKeys: virtualKeyResolver(c),
  };
  const defaults = headerDefaults(c);
  const tree = await mapLeaves(plan, (spec) => resolveLeaf(spec, defaults, c.env, options));
  const leaves = leavesOf(tree);
  // With one target, a request refused before any call (limits, allowlists) is still attributed to its provider.
  if (leaves.length === 1 && leaves[0]) outcome.route.provider ??= leaves[0].provider;
  // Stored provider keys this request may use: the logger and the answer redact them like the caller's own.
  const vaulted = leaves.flatMap((leaf) => {
    const credential = leaf.virtualKey?.credential;
    return credential
      ? [credential.api_key, ...(credential.aws_session_token ? [credential.aws_session_token] : [])]
      : [];
  });
  if (vaulted.length > 0) outcome.redact = vaulted;
  return { plan, tree, leaves, hasConfig: config !== null };
}
