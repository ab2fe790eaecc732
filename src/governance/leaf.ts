import type { RoutedLeaf } from "../routing/targets";
import type { VirtualKeyRecord } from "./records";

/** A config leaf as governance sees it: the routed leaf plus the stored credential it uses (limits, allowlists). */
export interface ResolvedLeaf extends RoutedLeaf {
  /** The stored credential this target uses (its limits and allowlist apply too). */
  virtualKey?: VirtualKeyRecord;
}
