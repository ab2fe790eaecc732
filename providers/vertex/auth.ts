import type { ResolvedTarget, UpstreamCall } from "../types";
import { UpstreamCredentialError } from "../shared/credential-error";
import { PrivateKeyError } from "./jwt";
import { isolateTokenCache, type AccessTokenCache } from "./token-cache";
import { tokenUrlFor } from "./token-endpoint";

/**
 * Vertex authenticates with an OAuth access token (`Authorization: Bearer ...`), never an API key. With a service
 * account, the token comes from the isolate's cache (minted on a miss); otherwise the target's apiKey is taken as
 * an access token the caller obtained. The token is added by the call's `sign` step, which the attempt runs just
 * before the fetch (after forwarded headers are merged, so no forwarded header can replace it).
 */
export async function vertexAuthorization(
  target: ResolvedTarget,
  cache: AccessTokenCache = isolateTokenCache,
): Promise<string | undefined> {
  const account = target.vertex?.serviceAccount;
  if (!account) return target.apiKey;
  try {
    return await cache.token(account, tokenUrlFor(target.customHost));
  } catch (error) {
    if (error instanceof PrivateKeyError)
      throw new UpstreamCredentialError(401, `vertex-ai: ${error.message}`, "invalid_service_account");
    throw error;
  }
}

export function withVertexAuth(call: UpstreamCall, target: ResolvedTarget): UpstreamCall {
  return {
    ...call,
    sign: async (ready) => {
      const token = await vertexAuthorization(target);
      // Without any credential the call still goes: Vertex answers 401 in its own words.
      return token ? { ...ready, headers: { ...ready.headers, authorization: `Bearer ${token}` } } : ready;
    },
  };
}
