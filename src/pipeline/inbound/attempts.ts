import type { AppContext } from "../../context";
import type { ResolvedLeaf } from "../../governance/leaf";

type Attempt = (leaf: ResolvedLeaf, timeoutMs: number) => Promise<Response>;

/**
 * Tells the request's inbound format (if any) that an attempt starts, before the cache is asked. A front door
 * remembers whether the answer it will translate came natively; an earlier attempt's native answer that an output
 * hook denied must not make a later attempt's cache hit (a chat answer: entries hold chat) go out untranslated.
 */
export function withInboundAttempts(c: AppContext, attempt: Attempt): Attempt {
  return (leaf, timeoutMs) => {
    c.var.inbound?.attemptStarting();
    return attempt(leaf, timeoutMs);
  };
}
