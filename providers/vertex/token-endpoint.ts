import * as z from "zod";
import { UpstreamCredentialError } from "../shared/credential-error";
import { GOOGLE_TOKEN_AUDIENCE } from "./jwt";

/** Google's token endpoint; under a custom_host (tests, a private proxy) the exchange goes to `{custom_host}/token`. */
export const GOOGLE_TOKEN_URL = GOOGLE_TOKEN_AUDIENCE;
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** The exchange is a small call: a token endpoint that hangs must not hold the request for the attempt's timeout. */
const TOKEN_TIMEOUT_MS = 10_000;
const MAX_DESCRIPTION = 300;

export function tokenUrlFor(customHost: string | undefined): string {
  return customHost === undefined ? GOOGLE_TOKEN_URL : `${customHost}/token`;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});

/** `{"error": "invalid_grant", "error_description": "Invalid JWT Signature."}` (RFC 6749 section 5.2). */
const tokenErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

export interface AccessToken {
  token: string;
  /** Lifetime in seconds, as Google reports it (3599 for service accounts). */
  expiresIn: number;
}

const unavailable = (why: string) =>
  new UpstreamCredentialError(502, `vertex-ai: Google's token endpoint ${why}`, "vertex_token_unavailable");

/** A refusal from the token endpoint: the client's credential is wrong (401) or not allowed (403). */
function refusal(status: number, bodyText: string): UpstreamCredentialError {
  let detail = `HTTP ${status}`;
  try {
    const parsed = tokenErrorSchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      const description = parsed.data.error_description?.slice(0, MAX_DESCRIPTION);
      detail = description ? `${parsed.data.error}: ${description}` : parsed.data.error;
    }
  } catch {
    // not JSON: the status is all we say
  }
  const forbidden = status === 403;
  return new UpstreamCredentialError(
    forbidden ? 403 : 401,
    `vertex-ai: the service account was ${forbidden ? "refused" : "not accepted"} by Google's token endpoint (${detail})`,
    forbidden ? "vertex_permission_denied" : "invalid_service_account",
  );
}

/** POST the signed assertion and read the access token; every failure is an UpstreamCredentialError. */
export async function exchangeAssertion(tokenUrl: string, assertion: string): Promise<AccessToken> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch {
    throw unavailable("is unreachable");
  }
  const text = await response.text().catch(() => "");
  if (response.ok) return readToken(text);
  // 4xx is about the assertion (bad signature, unknown or disabled account); 3xx, 429 and 5xx are Google's side.
  if (response.status >= 400 && response.status < 500 && response.status !== 429) throw refusal(response.status, text);
  throw unavailable(`answered ${response.status}`);
}

function readToken(text: string): AccessToken {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unavailable("answered with a body that is not JSON");
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) throw unavailable("answered without an access_token and expires_in");
  return { token: parsed.data.access_token, expiresIn: parsed.data.expires_in };
}
