import type { NormalisedUpstreamError, ProviderAdapter } from "../../providers/types";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { GatewayError } from "../errors";
import { MIN_SECRET_LENGTH, scrub } from "../observability/scrub";

const HTTP_STATUS_MIN = 400;

/**
 * Turn a non-2xx upstream response into the gateway's error, keeping the provider's status and message. Some
 * upstreams echo the credential they were sent ("Invalid API key: Bearer sk-..."): `secrets` (the target's key,
 * which for a virtual key the caller must never see) and anything shaped like a key are redacted first.
 */
export async function upstreamError(
  adapter: ProviderAdapter,
  response: Response,
  secrets: readonly string[],
): Promise<GatewayError> {
  const text = await response.text().catch(() => "");
  const parsed: NormalisedUpstreamError = adapter.parseError(response.status, text, response.headers);
  // Very short "keys" (test placeholders, local servers' dummies) are not worth mangling every occurrence for.
  const normalised = {
    ...parsed,
    message: scrub(
      parsed.message,
      secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH),
    ),
  };
  // An adapter may correct the status (Bedrock's ModelNotReadyException comes as 429 but means "unavailable").
  const raw = parsed.status ?? response.status;
  const status = (raw >= HTTP_STATUS_MIN && raw <= 599 ? raw : 502) as ContentfulStatusCode;
  const headers: Record<string, string> = {};
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) headers["retry-after"] = retryAfter;
  return new GatewayError(status, normalised.message, {
    type: normalised.type,
    code: normalised.code,
    param: normalised.param,
    headers,
  });
}
