import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { adminCall, json } from "./admin-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import {
  bearer,
  callWithKey,
  chat,
  completionBody,
  createKey,
  createVirtualKey,
  errorOf,
  fakeOpenAI,
  unique,
  type VirtualKeyBody,
} from "./governance-helpers";

useFakeUpstreams();

/** Every text a client or the logs could see of a request: status, headers and body. */
async function visible(res: Response): Promise<string> {
  return `${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`;
}

describe("using a virtual key from any OpenAI client", () => {
  it('"model": "@slug/model" with no x-portkey header: the provider key goes only to the provider', async () => {
    const seen = fakeOpenAI();
    const vk = await createVirtualKey();
    const { key, id: keyId } = await createKey();
    const traceId = unique("trace-vk");
    const res = await gateway({
      headers: { ...bearer(key), "x-portkey-trace-id": traceId },
      body: chat(`@${vk.slug}/gpt-4o-mini`),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-provider")).toBe("openai");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${vk.secret}`);
    expect(seen[0]?.body.model).toBe("gpt-4o-mini"); // the @slug/ prefix never goes upstream
    expect(await visible(res)).not.toContain(vk.secret);

    // The request log (written by the observability queue consumer) names both keys and holds no secret.
    let row: Record<string, unknown> | null = null;
    await vi.waitFor(
      async () => {
        row = await env.DB.prepare("SELECT * FROM request_logs WHERE trace_id = ?").bind(traceId).first();
        expect(row).not.toBeNull();
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(row).toMatchObject({ gateway_key_id: keyId, virtual_key_id: vk.id });
    expect(JSON.stringify(row)).not.toContain(vk.secret);
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it("x-portkey-virtual-key and config targets with virtual_key", async () => {
    const primary = fakeOpenAI({ base: "https://primary.allowed.test/v1", status: 500 });
    const backup = fakeOpenAI({ base: "https://backup.allowed.test/v1" });
    const a = await createVirtualKey({ custom_host: "https://primary.allowed.test/v1" });
    const b = await createVirtualKey({ custom_host: "https://backup.allowed.test/v1" });
    const { key } = await createKey();

    const viaHeader = await callWithKey(key, chat(), { "x-portkey-virtual-key": b.slug });
    expect(viaHeader.status).toBe(200);
    expect(backup[0]?.headers.authorization).toBe(`Bearer ${b.secret}`);

    const config = { strategy: { mode: "fallback" }, targets: [{ virtual_key: a.slug }, { virtual_key: b.slug }] };
    const res = await callWithKey(key, chat(), { "x-portkey-config": JSON.stringify(config) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect(primary[0]?.headers.authorization).toBe(`Bearer ${a.secret}`);
    expect(backup[1]?.headers.authorization).toBe(`Bearer ${b.secret}`);
  });

  it("a caller cannot redirect a stored key: custom_host or another Azure resource with a virtual key is a 400", async () => {
    const vk = await createVirtualKey();
    const { key } = await createKey();
    const error = await errorOf(
      await callWithKey(key, chat(), {
        "x-portkey-virtual-key": vk.slug,
        "x-portkey-custom-host": "https://evil.allowed.test/v1",
      }),
      400,
    );
    expect(error).toMatchObject({ code: "custom_host_not_allowed" });

    const seen: string[] = [];
    upstream.use(
      http.post("https://my-res.openai.azure.com/openai/deployments/:deployment/chat/completions", ({ request }) => {
        seen.push(`${request.url} ${request.headers.get("api-key")}`);
        return HttpResponse.json(completionBody("gpt-4o"));
      }),
    );
    const azure = await createVirtualKey({
      provider: "azure-openai",
      azure_resource_name: "my-res",
      azure_deployment_id: "gpt4o-prod",
    });
    expect((await callWithKey(key, chat(`@${azure.slug}/gpt-4o`))).status).toBe(200);
    expect(seen).toEqual([
      `https://my-res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21 ${azure.secret}`,
    ]);
    const other = await callWithKey(key, chat(), {
      "x-portkey-virtual-key": azure.slug,
      "x-portkey-azure-resource-name": "attacker-res",
    });
    expect(await errorOf(other, 400)).toMatchObject({ code: "azure_resource_not_allowed" });
  });

  it("unknown (400), disabled (403) and without a gateway key (401)", async () => {
    const { key } = await createKey();
    expect(await errorOf(await callWithKey(key, chat("@no-such-key/gpt-4o-mini")), 400)).toMatchObject({
      code: "virtual_key_not_found",
      param: "model",
    });
    const vk = await createVirtualKey();
    await json(await adminCall({ method: "POST", path: `/virtual-keys/${vk.slug}/disable` }));
    expect(await errorOf(await callWithKey(key, chat(), { "x-portkey-virtual-key": vk.slug }), 403)).toMatchObject({
      code: "virtual_key_disabled",
    });
    // Passthrough mode: anyone may send their own provider key, nobody may spend a stored one without a gateway key.
    const anonymous = await gateway({ headers: { "x-portkey-virtual-key": vk.slug }, body: chat() });
    expect(await errorOf(anonymous, 401)).toMatchObject({ code: "missing_api_key" });
  });

  it("disable and rotate apply to the next request", async () => {
    const seen = fakeOpenAI();
    const vk = await createVirtualKey();
    const { key } = await createKey();
    const call = () => callWithKey(key, chat(`@${vk.slug}/gpt-4o-mini`));
    expect((await call()).status).toBe(200);
    await json(
      await adminCall({
        method: "POST",
        path: `/virtual-keys/${vk.slug}/rotate`,
        body: { api_key: "sk-rotated-0000000000000009" },
      }),
    );
    expect((await call()).status).toBe(200);
    expect(seen.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${vk.secret}`,
      "Bearer sk-rotated-0000000000000009",
    ]);
    await json(await adminCall({ method: "POST", path: `/virtual-keys/${vk.id}/disable` }));
    expect((await call()).status).toBe(403);
    await json(await adminCall({ method: "POST", path: `/virtual-keys/${vk.id}/enable` }));
    expect((await call()).status).toBe(200);
  });

  it("a gateway key's default config and metadata apply when the request sends none", async () => {
    const seen = fakeOpenAI();
    const vk = await createVirtualKey();
    const defaultConfig = {
      strategy: {
        mode: "conditional",
        conditions: [{ query: { "metadata.tier": { $eq: "gold" } }, then: "gold" }],
        default: "std",
      },
      targets: [
        { name: "gold", virtual_key: vk.slug, override_params: { model: "gpt-4o" } },
        { name: "std", virtual_key: vk.slug, override_params: { model: "gpt-4o-mini" } },
      ],
    };
    const { key } = await createKey({ default_config: defaultConfig, metadata: { tier: "gold" } });
    expect((await callWithKey(key, { messages: [{ role: "user", content: "Hi" }], model: "ignored" })).status).toBe(
      200,
    );
    expect(
      (await callWithKey(key, chat("x"), { "x-portkey-metadata": JSON.stringify({ tier: "silver" }) })).status,
    ).toBe(200);
    expect(seen.map((r) => r.body.model)).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });
});

describe("allowlists (403 before any provider call)", () => {
  it("models of the gateway key and of the virtual key, providers, and which virtual keys", async () => {
    const seen = fakeOpenAI();
    const vk = await createVirtualKey({ allowed_models: ["gpt-4o-mini", "gpt-4.1*"] });
    const other = await createVirtualKey();
    const { key } = await createKey({
      allowed_models: ["gpt-4o-mini", "gpt-4o", "gpt-4.1-nano"],
      allowed_virtual_keys: [vk.slug],
    });
    const use = (model: string, slug = vk.slug) => callWithKey(key, chat(`@${slug}/${model}`));

    expect((await use("gpt-4o-mini")).status).toBe(200);
    expect((await use("gpt-4.1-nano")).status).toBe(200);
    const byKey = await errorOf(await use("gpt-3.5-turbo"), 403);
    expect(byKey).toMatchObject({ code: "model_not_allowed", param: "model" });
    expect(byKey.message).toMatch(/^model "gpt-3.5-turbo" is not allowed for gateway key /);
    const byVirtualKey = await errorOf(await use("gpt-4o"), 403);
    expect(byVirtualKey.message).toMatch(new RegExp(`^model "gpt-4o" is not allowed for virtual key "${vk.slug}"`));
    expect(await errorOf(await use("gpt-4o-mini", other.slug), 403)).toMatchObject({ code: "virtual_key_not_allowed" });
    // allowed_virtual_keys also rules out provider keys sent by the caller.
    const byok = await gateway({
      headers: { "x-portkey-api-key": key, ...bearer("sk-own"), "x-portkey-provider": "openai" },
      body: chat(),
    });
    expect(await errorOf(byok, 403)).toMatchObject({ code: "virtual_key_required" });
    expect(seen).toHaveLength(2);
  });

  it("providers, checked for every target of a config, with its path", async () => {
    fakeOpenAI();
    const vk = await createVirtualKey();
    const { key } = await createKey({ allowed_providers: ["openai"] });
    const config = {
      strategy: { mode: "fallback" },
      targets: [{ virtual_key: vk.slug }, { provider: "anthropic", api_key: "sk-ant-x" }],
    };
    const error = await errorOf(await callWithKey(key, chat(), { "x-portkey-config": JSON.stringify(config) }), 403);
    expect(error.code).toBe("provider_not_allowed");
    expect(error.message).toMatch(/^config\.targets\[1\]: provider "anthropic" is not allowed/);
  });
});

describe("GET /v1/models", () => {
  interface ModelList {
    object: "list";
    data: { id: string; object: string; owned_by: string }[];
  }

  it("lists what the key may use", async () => {
    const exact = await createKey({ allowed_models: ["gpt-4o-mini", "my-finetune"] });
    const list = await json<ModelList>(
      await gateway({ method: "GET", path: "/v1/models", headers: bearer(exact.key) }),
    );
    expect(list.object).toBe("list");
    expect(list.data.map((m) => m.id)).toEqual(["gpt-4o-mini", "my-finetune"]);
    expect(list.data[0]).toMatchObject({ object: "model", owned_by: "openai" });

    const vk = await createVirtualKey({ provider: "anthropic" });
    const viaVirtualKey = await createKey({ allowed_virtual_keys: [vk.slug], allowed_models: ["claude-*"] });
    const claude = await json<ModelList>(
      await gateway({ method: "GET", path: "/v1/models", headers: bearer(viaVirtualKey.key) }),
    );
    expect(claude.data.length).toBeGreaterThan(5);
    expect(claude.data.every((m) => m.id.startsWith("claude-") && m.owned_by === "anthropic")).toBe(true);

    const open = await json<ModelList>(
      await gateway({ method: "GET", path: "/v1/models", headers: bearer((await createKey()).key) }),
    );
    expect(open.data.length).toBeGreaterThan(500);
  });
});

describe("virtual key records", () => {
  it("are never returned with their secret", async () => {
    const vk = await createVirtualKey();
    const got = await json<VirtualKeyBody>(await adminCall({ path: `/virtual-keys/${vk.slug}` }));
    expect(JSON.stringify(got)).not.toContain(vk.secret);
  });
});
