import type { GovernanceOutcome } from "../context";
import type { ResolvedLeaf } from "./leaf";
import { checkTarget } from "./policy";
import type { GatewayKeyRecord } from "./records";

/**
 * The lone target a request names by headers outside routing (GET /v1/models): governance records the virtual key
 * it uses and refuses it (deniedBy "auth") when the gateway key may not use it, the check admission runs for a
 * routed request. Here so that `outcome.governance` keeps one writer, src/governance.
 */
export function admitNamedTarget(
  governance: GovernanceOutcome,
  key: GatewayKeyRecord | null,
  leaf: ResolvedLeaf,
): void {
  if (leaf.virtualKey) governance.virtualKeyId = leaf.virtualKey.id;
  try {
    checkTarget(key, { path: null, provider: leaf.provider, model: undefined, virtualKey: leaf.virtualKey });
  } catch (error) {
    governance.deniedBy = "auth";
    throw error;
  }
}
