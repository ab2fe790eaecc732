import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UpstreamCredentialError } from "../../providers/shared/credential-error";
import { vertexAuthorization } from "../../providers/vertex/auth";
import { ASSERTION_LIFETIME_SECONDS, signAssertion } from "../../providers/vertex/jwt";
import { ServiceAccountError, parseServiceAccount } from "../../providers/vertex/service-account";
import { AccessTokenCache } from "../../providers/vertex/token-cache";
import { GOOGLE_TOKEN_URL, JWT_BEARER_GRANT } from "../../providers/vertex/token-endpoint";
import { makeServiceAccount, tokenAnswer, verifyJwt } from "../fixtures/vertex/service-account";

const google = setupServer();
beforeAll(() => google.listen({ onUnhandledRequest: "error" }));
afterEach(() => google.resetHandlers());
afterAll(() => google.close());

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const MINUTE = 60_000;

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

interface TokenRequest {
  contentType: string | null;
  form: URLSearchParams;
}

/** Google's token endpoint: answers `answer(n)` to the n-th request (1-based) and records each. */
function fakeTokenEndpoint(
  answer: (n: number) => Response | Promise<Response>,
  url = GOOGLE_TOKEN_URL,
): TokenRequest[] {
  const seen: TokenRequest[] = [];
  google.use(
    http.post(url, async ({ request }) => {
      seen.push({
        contentType: request.headers.get("content-type"),
        form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
      });
      return answer(seen.length);
    }),
  );
  return seen;
}

describe("the service-account assertion", () => {
  it("is an RS256 JWT that the account's public key verifies, with Google's claims and the clock's times", async () => {
    const account = await makeServiceAccount();
    const jwt = await signAssertion(parseServiceAccount(account.text), T0 / 1000);
    const verified = await verifyJwt(jwt, account.publicKey);
    expect(verified).not.toBeNull();
    expect(verified?.header).toEqual({ alg: "RS256", typ: "JWT", kid: "4f2a9c0d1e" });
    expect(verified?.claims).toEqual({
      iss: "gateway@acme-prod.iam.gserviceaccount.com",
      scope: "https://www.googleapis.com/auth/cloud-platform",
      aud: "https://oauth2.googleapis.com/token",
      iat: T0 / 1000,
      exp: T0 / 1000 + ASSERTION_LIFETIME_SECONDS,
    });
    expect(jwt).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("does not verify with another key pair's public key", async () => {
    const [signer, other] = await Promise.all([makeServiceAccount(), makeServiceAccount()]);
    const jwt = await signAssertion(parseServiceAccount(signer.text), T0 / 1000);
    expect(await verifyJwt(jwt, other.publicKey)).toBeNull();
  });
});

describe("parseServiceAccount", () => {
  it("reads the key file as text or as an object", async () => {
    const account = await makeServiceAccount();
    const fromText = parseServiceAccount(account.text);
    expect(fromText).toEqual(parseServiceAccount(account.json));
    expect(fromText).toMatchObject({
      clientEmail: account.json.client_email,
      privateKeyId: "4f2a9c0d1e",
      projectId: "acme-prod",
    });
  });

  it("refuses what is not a key file without quoting any value", async () => {
    const account = await makeServiceAccount();
    const noEmail = { ...account.json, client_email: undefined };
    const notPem = { ...account.json, private_key: "x".repeat(200) + "SECRETSECRET" };
    for (const input of ["{not json", JSON.stringify(noEmail), JSON.stringify(notPem), "[]"]) {
      let caught: unknown;
      try {
        parseServiceAccount(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ServiceAccountError);
      expect(String(caught)).not.toContain("PRIVATE KEY-----\n");
      expect(String(caught)).not.toContain("SECRETSECRET");
    }
  });
});

describe("the access-token cache", () => {
  it("exchanges a verified assertion once and reuses the token until shortly before the hour ends", async () => {
    const account = await makeServiceAccount();
    const seen = fakeTokenEndpoint((n) => HttpResponse.json(tokenAnswer(`ya29.token-${n}`)));
    const clock = manualClock();
    const cache = new AccessTokenCache(clock.now);
    const parsed = parseServiceAccount(account.text);

    expect(await cache.token(parsed, GOOGLE_TOKEN_URL)).toBe("ya29.token-1");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.contentType).toBe("application/x-www-form-urlencoded");
    expect(seen[0]?.form.get("grant_type")).toBe(JWT_BEARER_GRANT);
    const verified = await verifyJwt(seen[0]?.form.get("assertion") ?? "", account.publicKey);
    expect(verified?.claims.iat).toBe(T0 / 1000);

    clock.advance(54 * MINUTE);
    expect(await cache.token(parsed, GOOGLE_TOKEN_URL)).toBe("ya29.token-1");
    expect(seen).toHaveLength(1);

    // 3599 s granted, refreshed 5 minutes early: a new exchange after ~55 minutes, dated by the clock.
    clock.advance(2 * MINUTE);
    expect(await cache.token(parsed, GOOGLE_TOKEN_URL)).toBe("ya29.token-2");
    expect(seen).toHaveLength(2);
    const second = await verifyJwt(seen[1]?.form.get("assertion") ?? "", account.publicKey);
    expect(second?.claims.iat).toBe((T0 + 56 * MINUTE) / 1000);
  });

  it("lets concurrent misses share one exchange", async () => {
    const account = await makeServiceAccount();
    const seen = fakeTokenEndpoint(async (n) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return HttpResponse.json(tokenAnswer(`ya29.shared-${n}`));
    });
    const cache = new AccessTokenCache(manualClock().now);
    const parsed = parseServiceAccount(account.text);
    const tokens = await Promise.all(Array.from({ length: 8 }, () => cache.token(parsed, GOOGLE_TOKEN_URL)));
    expect(new Set(tokens)).toEqual(new Set(["ya29.shared-1"]));
    expect(seen).toHaveLength(1);
  });

  it("keeps accounts apart, and never hands a token to another key that claims the same email and key id", async () => {
    const [owner, impostor] = await Promise.all([makeServiceAccount(), makeServiceAccount()]);
    fakeTokenEndpoint((n) => HttpResponse.json(tokenAnswer(`ya29.token-${n}`)));
    const cache = new AccessTokenCache(manualClock().now);
    expect(await cache.token(parseServiceAccount(owner.text), GOOGLE_TOKEN_URL)).toBe("ya29.token-1");
    // Same client_email and private_key_id, another private key: a different cache entry, its own exchange.
    expect(await cache.token(parseServiceAccount(impostor.text), GOOGLE_TOKEN_URL)).toBe("ya29.token-2");
    expect(cache.size).toBe(2);
  });

  it("forgets a failed exchange, so the next request tries again", async () => {
    const account = await makeServiceAccount();
    const seen = fakeTokenEndpoint((n) =>
      n === 1
        ? HttpResponse.json({ error: "temporarily_unavailable" }, { status: 503 })
        : HttpResponse.json(tokenAnswer("ya29.after")),
    );
    const cache = new AccessTokenCache(manualClock().now);
    const parsed = parseServiceAccount(account.text);
    await expect(cache.token(parsed, GOOGLE_TOKEN_URL)).rejects.toMatchObject({
      status: 502,
      code: "vertex_token_unavailable",
    });
    expect(await cache.token(parsed, GOOGLE_TOKEN_URL)).toBe("ya29.after");
    expect(seen).toHaveLength(2);
  });
});

describe("token errors", () => {
  const cases: Array<[string, Response, number, string, RegExp]> = [
    [
      "invalid_grant",
      HttpResponse.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 }),
      401,
      "invalid_service_account",
      /invalid_grant: Invalid JWT Signature\./,
    ],
    [
      "a disabled account",
      HttpResponse.json({ error: "unauthorized_client" }, { status: 401 }),
      401,
      "invalid_service_account",
      /unauthorized_client/,
    ],
    [
      "forbidden",
      HttpResponse.json({ error: "access_denied" }, { status: 403 }),
      403,
      "vertex_permission_denied",
      /refused/,
    ],
    ["a non-JSON 200", new HttpResponse("<html>", { status: 200 }), 502, "vertex_token_unavailable", /not JSON/],
    [
      "a 200 without a token",
      HttpResponse.json({ id_token: "x" }),
      502,
      "vertex_token_unavailable",
      /without an access_token/,
    ],
  ];
  for (const [name, response, status, code, message] of cases) {
    it(`maps ${name} to ${status} without echoing the key`, async () => {
      const account = await makeServiceAccount();
      fakeTokenEndpoint(() => response.clone());
      const target = { provider: "vertex-ai" as const, vertex: { serviceAccount: parseServiceAccount(account.text) } };
      const error = await vertexAuthorization(target, new AccessTokenCache(manualClock().now)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamCredentialError);
      expect(error).toMatchObject({ status, code });
      expect(String((error as Error).message)).toMatch(message);
      expect(String((error as Error).message)).not.toContain(account.json.private_key?.slice(40, 80));
    });
  }

  it("reports a private key that is not PKCS#8 RSA as a 401 without quoting it", async () => {
    const account = await makeServiceAccount();
    const broken = {
      ...account.json,
      private_key: `-----BEGIN PRIVATE KEY-----\n${"QUJD".repeat(40)}\n-----END PRIVATE KEY-----\n`,
    };
    const target = { provider: "vertex-ai" as const, vertex: { serviceAccount: parseServiceAccount(broken) } };
    const error = await vertexAuthorization(target, new AccessTokenCache(manualClock().now)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: "invalid_service_account" });
    expect(String((error as Error).message)).not.toContain("QUJD");
  });

  it("sends the exchange to {custom_host}/token under a custom host", async () => {
    const account = await makeServiceAccount();
    const seen = fakeTokenEndpoint(
      () => HttpResponse.json(tokenAnswer("ya29.local")),
      "https://vertex.allowed.test/token",
    );
    const target = {
      provider: "vertex-ai" as const,
      customHost: "https://vertex.allowed.test",
      vertex: { serviceAccount: parseServiceAccount(account.text) },
    };
    expect(await vertexAuthorization(target, new AccessTokenCache(manualClock().now))).toBe("ya29.local");
    expect(seen).toHaveLength(1);
  });

  it("uses the target's key as a ready-made access token when there is no service account", async () => {
    const target = { provider: "vertex-ai" as const, apiKey: "ya29.from-gcloud" };
    expect(await vertexAuthorization(target, new AccessTokenCache(manualClock().now))).toBe("ya29.from-gcloud");
  });
});
