import type { AppContext } from "../../context";
import { scopeId, type Tenant } from "../../cache/scope";
import { callerOf } from "../../governance/caller";

const bearer = (header: string | undefined): string | undefined => header?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i)?.[1];

/**
 * Passthrough mode (no gateway key): the tenant is the provider credential the client presented, as for the
 * cache (src/cache/scope.ts), so only a caller holding the same key reads its responses. Without any credential
 * (a local server that needs none) every such caller shares the "anonymous" tenant.
 */
function passthroughTenant(c: AppContext): Tenant {
  const credential = bearer(c.req.header("authorization")) ?? c.req.header("x-api-key");
  return credential
    ? { id: `credential:responses:${credential}`, credential: true }
    : { id: "anonymous", credential: false };
}

/**
 * The scope stored responses are kept under: the gateway key's team, else the gateway key, else (passthrough)
 * the client's credential, keyed through a server secret (cache/scope.ts scopeId), never the credential itself.
 */
export async function responsesScope(c: AppContext): Promise<string> {
  const key = callerOf(c)?.key;
  const tenant: Tenant = key?.team
    ? { id: `team:${key.team}`, credential: false }
    : key
      ? { id: `key:${key.id}`, credential: false }
      : passthroughTenant(c);
  return scopeId(tenant, c.env);
}
