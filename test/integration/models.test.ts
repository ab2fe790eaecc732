import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { bearer, createKey, createVirtualKey, errorOf } from "./governance-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { loggedRows } from "./observability-helpers";

useFakeUpstreams();

/** GET /v1/models and /v1/models/{id}: the catalog, a named provider, and upstream lists (custom host, virtual key). */

interface Model {
  id: string;
  object: string;
  created: number;
  owned_by: string;
}
interface ModelList {
  object: "list";
  data: Model[];
}

const VLLM = "https://vllm.internal.test/v1";

/** An OpenAI-compatible GET /models that records the credential it got. */
function fakeModels(base: string, data: unknown[], seen: (string | null)[] = []): (string | null)[] {
  upstream.use(
    http.get(`${base}/models`, ({ request }) => {
      seen.push(request.headers.get("authorization"));
      return HttpResponse.json({ object: "list", data });
    }),
  );
  return seen;
}

const LLAMA = {
  id: "meta-llama/Llama-3-8B",
  object: "model",
  created: 1_700_000_000,
  owned_by: "vllm",
  max_model_len: 8192,
};
const QWEN = { id: "qwen2.5:7b", object: "model", created: 1_700_000_001, owned_by: "library" };

const get = (path: string, headers: Record<string, string> = {}) => gateway({ method: "GET", path, headers });

async function listOf(res: Response): Promise<ModelList> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as ModelList;
}

describe("unknown provider", () => {
  it("is a 400 like elsewhere, for the list and for one model", async () => {
    for (const path of ["/v1/models", "/v1/models/gpt-4o-mini"]) {
      const error = await errorOf(await get(path, { "x-portkey-provider": "bogus" }), 400);
      expect(error).toMatchObject({
        type: "invalid_request_error",
        param: "x-portkey-provider",
        code: "unknown_provider",
      });
      expect(error.message).toMatch(/^unknown provider "bogus"; valid providers: openai, /);
    }
  });

  it("a known provider alone narrows the catalog to it, with no upstream call", async () => {
    const list = await listOf(await get("/v1/models", { "x-portkey-provider": "anthropic" }));
    expect(list.data.length).toBeGreaterThan(5);
    expect(list.data.every((m) => m.owned_by === "anthropic" && m.id.startsWith("claude-"))).toBe(true);
  });
});

describe("custom host: the upstream's own list", () => {
  it("passes the credential, keeps OpenAI's four fields, and answers one model by an id with slashes", async () => {
    const seen = fakeModels(VLLM, [LLAMA, QWEN]);
    const headers = { "x-portkey-provider": "custom", "x-portkey-custom-host": VLLM, ...bearer("sk-local-vllm") };
    const list = await listOf(await get("/v1/models", headers));
    expect(list).toEqual({
      object: "list",
      data: [
        { id: "meta-llama/Llama-3-8B", object: "model", created: 1_700_000_000, owned_by: "vllm" },
        { id: "qwen2.5:7b", object: "model", created: 1_700_000_001, owned_by: "library" },
      ],
    });
    expect(seen).toEqual(["Bearer sk-local-vllm"]);

    const one = await get("/v1/models/meta-llama/Llama-3-8B", headers);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({
      id: "meta-llama/Llama-3-8B",
      object: "model",
      created: 1_700_000_000,
      owned_by: "vllm",
    });

    const missing = await errorOf(await get("/v1/models/meta-llama/Llama-4", headers), 404);
    expect(missing).toMatchObject({ type: "not_found_error", code: "model_not_found", param: "model" });
    expect(missing.message).toContain('"meta-llama/Llama-4"');
  });

  it("is policed like chat: a host outside the allowlist is refused before any call", async () => {
    const error = await errorOf(
      await get("/v1/models", { "x-portkey-provider": "custom", "x-portkey-custom-host": "http://169.254.169.254/v1" }),
      400,
    );
    expect(error.code).toBe("custom_host_not_allowed");
    // provider "custom" without a host cannot list anything.
    expect((await errorOf(await get("/v1/models", { "x-portkey-provider": "custom" }), 400)).param).toBe(
      "x-portkey-custom-host",
    );
  });

  it("upstream failures in our envelope: status and message kept, credential scrubbed; unreachable 502; timeout 408", async () => {
    const headers = {
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": VLLM,
      ...bearer("sk-secret-upstream-key"),
    };
    upstream.use(
      http.get(`${VLLM}/models`, () =>
        HttpResponse.json(
          {
            error: {
              message: "Incorrect API key: sk-secret-upstream-key",
              type: "invalid_request_error",
              code: "invalid_api_key",
            },
          },
          { status: 401 },
        ),
      ),
    );
    const denied = await errorOf(await get("/v1/models", headers), 401);
    expect(denied.code).toBe("invalid_api_key");
    expect(JSON.stringify(denied)).not.toContain("sk-secret-upstream-key");

    upstream.use(http.get(`${VLLM}/models`, () => HttpResponse.error()));
    expect((await errorOf(await get("/v1/models", headers), 502)).code).toBe("upstream_unreachable");

    upstream.use(http.get(`${VLLM}/models`, () => HttpResponse.text("<html>proxy</html>")));
    expect((await errorOf(await get("/v1/models", headers), 502)).code).toBe("upstream_malformed_response");

    upstream.use(
      http.get(`${VLLM}/models`, async () => {
        await delay(2_000);
        return HttpResponse.json({ data: [] });
      }),
    );
    const slow = await errorOf(await get("/v1/models", { ...headers, "x-portkey-request-timeout": "100" }), 408);
    expect(slow.code).toBe("upstream_timeout");
  });
});

describe("virtual key: the upstream's own list with the stored credential", () => {
  it("header or @slug/ id; the virtual key's and the gateway key's allowed_models filter the list", async () => {
    const base = "https://ollama.allowed.test/v1";
    const seen = fakeModels(base, [LLAMA, QWEN, { id: "llama3.2:1b", created: null, owned_by: null }]);
    const vk = await createVirtualKey({ provider: "ollama", custom_host: base, allowed_models: ["qwen*", "llama*"] });
    const { key } = await createKey({ allowed_models: ["llama*", "qwen2.5:7b"] });
    const traceId = `models-vk-${crypto.randomUUID()}`;

    const list = await listOf(
      await get("/v1/models", { ...bearer(key), "x-portkey-virtual-key": vk.slug, "x-portkey-trace-id": traceId }),
    );
    // meta-llama/... is allowed by neither; null fields get OpenAI-shaped defaults.
    expect(list.data).toEqual([
      { id: "qwen2.5:7b", object: "model", created: 1_700_000_001, owned_by: "library" },
      { id: "llama3.2:1b", object: "model", created: 0, owned_by: "ollama" },
    ]);
    expect(seen).toEqual([`Bearer ${vk.secret}`]);

    // `@slug/model` addresses the virtual key without headers, as in a chat body; the id keeps its prefix.
    const one = await get(`/v1/models/@${vk.slug}/qwen2.5:7b`, bearer(key));
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({
      id: `@${vk.slug}/qwen2.5:7b`,
      object: "model",
      created: 1_700_000_001,
      owned_by: "library",
    });
    // Served upstream but not allowed: as unknown as a model that does not exist.
    expect((await errorOf(await get(`/v1/models/@${vk.slug}/meta-llama/Llama-3-8B`, bearer(key)), 404)).code).toBe(
      "model_not_found",
    );

    const [row] = await loggedRows(traceId);
    expect(row).toMatchObject({ status: 200, provider: "ollama", virtual_key_id: vk.id });
    expect(JSON.stringify(row)).not.toContain(vk.secret);
  });

  it("a hosted provider's virtual key lists from the provider's own base URL", async () => {
    const seen = fakeModels("https://api.openai.com/v1", [
      { id: "gpt-4o-mini", object: "model", created: 1, owned_by: "system" },
    ]);
    const vk = await createVirtualKey();
    const { key } = await createKey();
    const list = await listOf(await get("/v1/models", { ...bearer(key), "x-portkey-virtual-key": vk.slug }));
    expect(list.data.map((m) => m.id)).toEqual(["gpt-4o-mini"]);
    expect(seen).toEqual([`Bearer ${vk.secret}`]);
  });

  it("the gateway key's allowlists apply as for chat (403 before any call)", async () => {
    const vk = await createVirtualKey({ provider: "ollama", custom_host: "https://ollama.allowed.test/v1" });
    const onlyOpenAI = await createKey({ allowed_providers: ["openai"] });
    const byProvider = await errorOf(
      await get("/v1/models", { ...bearer(onlyOpenAI.key), "x-portkey-virtual-key": vk.slug }),
      403,
    );
    expect(byProvider.code).toBe("provider_not_allowed");
    const other = await createVirtualKey();
    const onlyOther = await createKey({ allowed_virtual_keys: [other.slug] });
    expect(
      (await errorOf(await get("/v1/models", { ...bearer(onlyOther.key), "x-portkey-virtual-key": vk.slug }), 403))
        .code,
    ).toBe("virtual_key_not_allowed");
    const byCustomHost = { ...bearer(onlyOther.key), "x-portkey-provider": "custom", "x-portkey-custom-host": VLLM };
    expect((await errorOf(await get("/v1/models", byCustomHost), 403)).code).toBe("virtual_key_required");
  });
});

describe("GET /v1/models/{id} from the catalog", () => {
  it("found, and 404 in the envelope when unknown or not allowed", async () => {
    const found = await get("/v1/models/gpt-4o-mini");
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({ id: "gpt-4o-mini", object: "model", created: 0, owned_by: "openai" });

    const unknown = await errorOf(await get("/v1/models/no-such-model"), 404);
    expect(unknown).toEqual({
      message: 'model "no-such-model" not found among the models this request may use',
      type: "not_found_error",
      param: "model",
      code: "model_not_found",
    });
    const { key } = await createKey({ allowed_models: ["claude-*"] });
    expect((await get("/v1/models/claude-3-5-haiku-20241022", bearer(key))).status).toBe(200);
    expect((await errorOf(await get("/v1/models/gpt-4o-mini", bearer(key)), 404)).code).toBe("model_not_found");
  });
});
