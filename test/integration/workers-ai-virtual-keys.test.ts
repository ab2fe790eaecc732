import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { restEnvelope, textResult } from "../fixtures/workers-ai/answers";
import { adminCall, json } from "./admin-helpers";
import { bearer, createKey, createVirtualKey, errorOf } from "./governance-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

/**
 * Workers AI over REST with a virtual key: the Cloudflare account id is stored (sealed) with the API token, so the
 * gateway builds https://api.cloudflare.com/client/v4/accounts/{id}/ai/run/{model} itself. No custom_host is
 * involved, and api.cloudflare.com is not in the test environment's CUSTOM_HOST_ALLOWLIST.
 */
const MODEL = "@cf/meta/llama-3.1-8b-instruct";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const OTHER_ACCOUNT = "fedcba9876543210fedcba9876543210";
const TOKEN = "cf-api-token-0123456789abcdef";
const chat = { model: MODEL, messages: [{ role: "user", content: "Hi" }] };

function fakeRest(account: string): Array<string | null> {
  const seen: Array<string | null> = [];
  upstream.use(
    http.post(`https://api.cloudflare.com/client/v4/accounts/${account}/ai/run/${MODEL}`, ({ request }) => {
      seen.push(request.headers.get("authorization"));
      return HttpResponse.json(restEnvelope(textResult));
    }),
  );
  return seen;
}

describe("workers-ai virtual keys with cloudflare_account_id", () => {
  it("store the account with the token and call the account's REST endpoint, no custom_host needed", async () => {
    const seen = fakeRest(ACCOUNT);
    const vk = await createVirtualKey({ provider: "workers-ai", api_key: TOKEN, cloudflare_account_id: ACCOUNT });
    expect(vk.options).toEqual(["cloudflare_account_id"]);
    const { key } = await createKey();
    const res = await gateway({ headers: { ...bearer(key), "x-portkey-virtual-key": vk.slug }, body: chat });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ choices: [{ message: { content: "Hello from the edge." } }] });
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
    const stored = await json<Record<string, unknown>>(await adminCall({ path: `/virtual-keys/${vk.slug}` }));
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
  });

  it("the stored account cannot be swapped by a request header (400), the same one is fine", async () => {
    const seen = fakeRest(ACCOUNT);
    const vk = await createVirtualKey({ provider: "workers-ai", api_key: TOKEN, cloudflare_account_id: ACCOUNT });
    const { key } = await createKey();
    const call = (account: string) =>
      gateway({
        headers: { ...bearer(key), "x-portkey-virtual-key": vk.slug, "x-portkey-workers-ai-account-id": account },
        body: chat,
      });
    const error = await errorOf(await call(OTHER_ACCOUNT), 400);
    expect(error).toMatchObject({ param: "x-portkey-virtual-key", code: "workers_ai_account_not_allowed" });
    expect((await call(ACCOUNT)).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it("rotation keeps the stored account unless replaced or removed (null)", async () => {
    const vk = await createVirtualKey({ provider: "workers-ai", api_key: TOKEN, cloudflare_account_id: ACCOUNT });
    const rotate = (body: Record<string, unknown>) =>
      adminCall({ method: "POST", path: `/virtual-keys/${vk.slug}/rotate`, body: { api_key: `${TOKEN}-2`, ...body } });
    expect((await json<{ options: string[] }>(await rotate({}))).options).toEqual(["cloudflare_account_id"]);
    expect((await json<{ options: string[] }>(await rotate({ cloudflare_account_id: null }))).options).toEqual([]);
  });

  it("refuse an account id that is not 32 lower-case hex digits, and the field on other providers (400 naming it)", async () => {
    const cases: Array<Record<string, unknown>> = [
      { provider: "workers-ai", cloudflare_account_id: ACCOUNT.toUpperCase() },
      { provider: "workers-ai", cloudflare_account_id: ACCOUNT.slice(1) },
      { provider: "workers-ai", cloudflare_account_id: `${ACCOUNT.slice(0, 31)}/` },
      { provider: "openai", cloudflare_account_id: ACCOUNT },
    ];
    for (const body of cases) {
      const res = await adminCall({
        method: "POST",
        path: "/virtual-keys",
        body: { slug: `wai-${crypto.randomUUID().slice(0, 8)}`, api_key: TOKEN, ...body },
      });
      const error = await errorOf(res, 400);
      expect(error.param, JSON.stringify(body)).toBe("cloudflare_account_id");
    }
  });
});
