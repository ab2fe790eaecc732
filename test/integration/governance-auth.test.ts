import { describe, expect, it } from "vitest";
import { adminCall, json } from "./admin-helpers";
import { gateway, useFakeUpstreams } from "./harness";
import {
  bearer,
  callWithKey,
  chat,
  createKey,
  errorOf,
  fakeOpenAI,
  withEnv,
  type NewKeyBody,
} from "./governance-helpers";

useFakeUpstreams();

const SECURE = { PASSTHROUGH_MODE: "false" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("secure by default (PASSTHROUGH_MODE unset or false)", () => {
  it("401 without a gateway key, and a provider key in Authorization is not accepted as one", async () => {
    const seen = fakeOpenAI();
    const missing = await withEnv(SECURE, { headers: { "x-portkey-provider": "openai" }, body: chat() });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await errorOf(missing, 401)).toMatchObject({ type: "authentication_error", code: "missing_api_key" });
    const providerKey = await withEnv(SECURE, {
      headers: { "x-portkey-provider": "openai", ...bearer("sk-real-provider-key") },
      body: chat(),
    });
    const error = await errorOf(providerKey, 401);
    expect(error.message).toMatch(/does not hold a gateway API key/);
    expect(error.message).not.toContain("sk-real-provider-key");
    expect(seen).toHaveLength(0);
  });

  it("the wrangler.toml default is secure: PASSTHROUGH_MODE absent means keys are required", async () => {
    const res = await withEnv(
      { PASSTHROUGH_MODE: undefined },
      { headers: { "x-portkey-provider": "openai", ...bearer("sk-x") }, body: chat() },
    );
    expect(res.status).toBe(401);
  });

  it("a gateway key works, in Authorization or x-portkey-api-key; it is never forwarded upstream", async () => {
    const seen = fakeOpenAI();
    const { key } = await createKey();
    expect(
      (await withEnv(SECURE, { headers: { ...bearer(key), "x-portkey-provider": "openai" }, body: chat() })).status,
    ).toBe(200);
    // Bring-your-own provider key: gateway key in x-portkey-api-key, provider key in Authorization.
    const byok = await withEnv(SECURE, {
      headers: { "x-portkey-api-key": key, ...bearer("sk-own-provider"), "x-portkey-provider": "openai" },
      body: chat(),
    });
    expect(byok.status).toBe(200);
    expect(seen.map((r) => r.headers.authorization)).toEqual([undefined, "Bearer sk-own-provider"]);
    expect(JSON.stringify(seen)).not.toContain(key);
  });

  it("/v1/models needs a key too", async () => {
    expect((await withEnv(SECURE, { method: "GET", path: "/v1/models" })).status).toBe(401);
  });
});

describe("wrong, disabled, expired, rotated and deleted keys", () => {
  const call = (key: string) => callWithKey(key, chat(), { "x-portkey-provider": "openai" });

  it("an unknown key: 401 invalid_api_key, in both modes (a presented key is always checked)", async () => {
    const forged = `pk-gw-${"A".repeat(43)}`;
    expect(await errorOf(await call(forged), 401)).toMatchObject({
      code: "invalid_api_key",
      message: "invalid gateway API key",
    });
    expect(
      await errorOf(await withEnv(SECURE, { headers: { "x-portkey-api-key": "garbage" }, body: chat() }), 401),
    ).toMatchObject({ code: "invalid_api_key" });
  });

  it("disable: 403 on the next request; enable brings it back", async () => {
    fakeOpenAI();
    const created = await createKey();
    expect((await call(created.key)).status).toBe(200);
    await json(await adminCall({ method: "POST", path: `/keys/${created.id}/disable` }));
    expect(await errorOf(await call(created.key), 403)).toMatchObject({
      type: "permission_error",
      code: "api_key_disabled",
    });
    await json(await adminCall({ method: "POST", path: `/keys/${created.id}/enable` }));
    expect((await call(created.key)).status).toBe(200);
  });

  it("expired: 401 api_key_expired once expires_at has passed", async () => {
    fakeOpenAI();
    const created = await createKey({ expires_at: new Date(Date.now() + 1_500).toISOString() });
    expect((await call(created.key)).status).toBe(200);
    await sleep(1_600);
    const error = await errorOf(await call(created.key), 401);
    expect(error.code).toBe("api_key_expired");
    expect(error.message).toMatch(/expired at \d{4}-/);
  });

  it("rotate: the old secret stops working at once, the new one works, same key id", async () => {
    fakeOpenAI();
    const created = await createKey();
    expect((await call(created.key)).status).toBe(200);
    const rotated = await json<NewKeyBody>(await adminCall({ method: "POST", path: `/keys/${created.id}/rotate` }));
    expect(rotated.id).toBe(created.id);
    expect(rotated.key).not.toBe(created.key);
    expect(await errorOf(await call(created.key), 401)).toMatchObject({ code: "invalid_api_key" });
    expect((await call(rotated.key)).status).toBe(200);
  });

  it("delete: 401 like an unknown key", async () => {
    const created = await createKey();
    await json(await adminCall({ method: "DELETE", path: `/keys/${created.id}` }));
    expect(await errorOf(await call(created.key), 401)).toMatchObject({ code: "invalid_api_key" });
  });
});

describe("passthrough mode (PASSTHROUGH_MODE=true, as npm start and these tests' defaults)", () => {
  it("keeps the old behaviour without a key, and ignores a non-gateway x-portkey-api-key placeholder", async () => {
    const seen = fakeOpenAI();
    const res = await gateway({
      headers: { "x-portkey-provider": "openai", ...bearer("sk-pass"), "x-portkey-api-key": "placeholder" },
      body: chat(),
    });
    expect(res.status).toBe(200);
    expect(seen[0]?.headers.authorization).toBe("Bearer sk-pass");
  });
});
