import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminCall, expectError, uniqueSlug } from "./admin-helpers";
import { callWithKey, createKey, createVirtualKey } from "./governance-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";

/**
 * Every caller value that ends up in an upstream URL (Azure resource, deployment and api-version; the model in
 * Gemini's path) is checked against a strict pattern before anything is fetched: a 400 naming the field, and no
 * connection anywhere (every request the Worker makes is recorded at the network edge).
 */
useFakeUpstreams();

const outgoing: string[] = [];
const recordOutgoing = ({ request }: { request: Request }) => void outgoing.push(request.url);
beforeEach(() => {
  outgoing.length = 0;
  upstream.events.on("request:start", recordOutgoing);
});
afterEach(() => upstream.events.removeListener("request:start", recordOutgoing));

const completion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop", logprobs: null }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};
const chat = (model = "gpt-4o-mini") => ({ model, messages: [{ role: "user", content: "Hi" }] });

/** Injection shapes a header can carry (headers cannot hold CR/LF or non-Latin-1 characters at all). */
const HEADER_SHAPES: Record<string, string> = {
  "host:port/#": "127.0.0.1:9912/#",
  "userinfo @": "x@127.0.0.1:9912",
  "encoded slash %2f": "x%2f..%2fy",
  "dot segment ..": "..",
  "query ?": "x?api-version=1",
  "path /": "a/b",
  space: "a b",
};
/** ...and what JSON (inline configs, bodies, saved configs) can carry besides. */
const JSON_SHAPES: Record<string, string> = {
  ...HEADER_SHAPES,
  "CR/LF": "x\r\nHost: 127.0.0.1",
  "ideographic full stop 。": "127。0。0。1:9912/#",
  "fullwidth full stop ．": "127．0．0．1:9912/#",
};

interface Envelope {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

async function refused(res: Response, param: string, code = "invalid_parameter"): Promise<Envelope> {
  const text = await res.text();
  expect(res.status, text).toBe(400);
  const { error } = JSON.parse(text) as { error: Envelope };
  expect(error).toMatchObject({ type: "invalid_request_error", param, code });
  expect(outgoing).toEqual([]);
  return error;
}

/** Non-ASCII as \u escapes, so a config with unicode dots fits in a header. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

const azureHeaders = (extra: Record<string, string>) => ({
  "x-portkey-provider": "azure-openai",
  authorization: "Bearer azure-key",
  "x-portkey-azure-resource-name": "my-res",
  "x-portkey-azure-deployment-id": "gpt4o-prod",
  ...extra,
});

const AZURE_FIELDS = [
  ["x-portkey-azure-resource-name", "azure_resource_name"],
  ["x-portkey-azure-deployment-id", "azure_deployment_id"],
  ["x-portkey-azure-api-version", "azure_api_version"],
] as const;

describe("Azure fields from headers", () => {
  for (const [header] of AZURE_FIELDS) {
    for (const [shape, value] of Object.entries(HEADER_SHAPES)) {
      it(`${header}: ${shape} is a 400 naming the header, nothing fetched`, async () => {
        const error = await refused(
          await gateway({ headers: azureHeaders({ [header]: value }), body: chat() }),
          header,
        );
        expect(error.message).toMatch(new RegExp(`^${header}: `));
      });
    }
  }

  it("valid values still build the Azure URL", async () => {
    upstream.use(
      http.post("https://my-res-2.openai.azure.com/openai/deployments/gpt-4o.prod_1/chat/completions", () =>
        HttpResponse.json(completion),
      ),
    );
    const headers = azureHeaders({
      "x-portkey-azure-resource-name": "my-res-2",
      "x-portkey-azure-deployment-id": "gpt-4o.prod_1",
      "x-portkey-azure-api-version": "2024-12-01-preview",
    });
    const res = await gateway({ headers, body: chat() });
    expect(res.status).toBe(200);
    expect(outgoing).toEqual([
      "https://my-res-2.openai.azure.com/openai/deployments/gpt-4o.prod_1/chat/completions?api-version=2024-12-01-preview",
    ]);
  });
});

describe("Azure fields from an inline config", () => {
  for (const [, field] of AZURE_FIELDS) {
    for (const [shape, value] of Object.entries(JSON_SHAPES)) {
      it(`${field}: ${shape} is a 400 naming the config path, nothing fetched`, async () => {
        const target = {
          provider: "azure-openai",
          api_key: "k",
          azure_resource_name: "my-res",
          azure_deployment_id: "d",
          [field]: value,
        };
        const config = { strategy: { mode: "fallback" }, targets: [target] };
        const res = await gateway({ headers: { "x-portkey-config": asciiJson(config) }, body: chat() });
        const error = await refused(res, "x-portkey-config", "invalid_config");
        expect(error.message).toMatch(new RegExp(`^config\\.targets\\[0\\]\\.${field}: `));
      });
    }
  }
});

describe("the model where it becomes part of the URL", () => {
  for (const [shape, value] of Object.entries(JSON_SHAPES)) {
    it(`google model: ${shape} is a 400 naming model, nothing fetched`, async () => {
      const res = await gateway({
        headers: { "x-portkey-provider": "google", authorization: "Bearer g" },
        body: chat(value),
      });
      await refused(res, "model");
    });

    it(`azure model used as the deployment: ${shape} is a 400 naming model, nothing fetched`, async () => {
      const headers = {
        "x-portkey-provider": "azure-openai",
        authorization: "Bearer k",
        "x-portkey-azure-resource-name": "my-res",
      };
      await refused(await gateway({ headers, body: chat(value) }), "model");
    });
  }

  it("an override_params model is checked the same way", async () => {
    const config = { provider: "google", api_key: "g", override_params: { model: "../../v1/files" } };
    await refused(
      await gateway({ headers: { "x-portkey-config": JSON.stringify(config) }, body: chat("gemini-2.5-flash") }),
      "model",
    );
  });

  it("valid Gemini model ids (with or without models/) reach generateContent", async () => {
    const answer = {
      candidates: [{ content: { role: "model", parts: [{ text: "ok" }] }, finishReason: "STOP" }],
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 },
    };
    upstream.use(
      http.post("https://generativelanguage.googleapis.com/v1beta/models/:call", () => HttpResponse.json(answer)),
    );
    const headers = { "x-portkey-provider": "google", authorization: "Bearer g" };
    expect((await gateway({ headers, body: chat("gemini-2.5-flash") })).status).toBe(200);
    expect((await gateway({ headers, body: chat("models/gemini-2.0-flash-001") })).status).toBe(200);
    expect(outgoing).toEqual([
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent",
    ]);
  });
});

describe("with a gateway key and an Azure virtual key", () => {
  for (const [header] of AZURE_FIELDS.slice(1)) {
    for (const [shape, value] of Object.entries(HEADER_SHAPES)) {
      it(`${header}: ${shape} is a 400, the stored key goes nowhere`, async () => {
        const vk = await createVirtualKey({
          provider: "azure-openai",
          azure_resource_name: "my-res",
          azure_deployment_id: "gpt4o-prod",
        });
        const { key } = await createKey();
        outgoing.length = 0;
        await refused(await callWithKey(key, chat(), { "x-portkey-virtual-key": vk.slug, [header]: value }), header);
      });
    }
  }

  it("a gateway key does not bypass the resource-name check", async () => {
    const { key } = await createKey();
    const res = await callWithKey(key, chat(), {
      "x-portkey-provider": "azure-openai",
      "x-portkey-azure-resource-name": "127.0.0.1:9912/#",
    });
    await refused(res, "x-portkey-azure-resource-name");
  });
});

describe("saving a virtual key", () => {
  for (const [, field] of AZURE_FIELDS) {
    for (const [shape, value] of Object.entries(JSON_SHAPES)) {
      it(`${field}: ${shape} is a 400 naming the field`, async () => {
        const body = {
          slug: uniqueSlug("vk"),
          provider: "azure-openai",
          api_key: "k",
          azure_resource_name: "my-res",
          [field]: value,
        };
        const error = await expectError(await adminCall({ method: "POST", path: "/virtual-keys", body }), 400, {
          param: field,
        });
        expect(error.message).toMatch(new RegExp(`^${field}: must be an Azure `));
      });
    }
  }
});

describe("saving a config", () => {
  const post = (config: Record<string, unknown>) =>
    adminCall({ method: "POST", path: "/configs", body: { slug: uniqueSlug("cfg"), config } });
  const fallback = (target: Record<string, unknown>) => ({ strategy: { mode: "fallback" }, targets: [target] });

  for (const [, field] of AZURE_FIELDS) {
    it(`refuses an injected ${field} with the path`, async () => {
      const target = {
        provider: "azure-openai",
        api_key: "k",
        azure_resource_name: "my-res",
        [field]: "127.0.0.1:9912/#",
      };
      const error = await expectError(await post(fallback(target)), 400, {
        param: `config.targets[0].${field}`,
        code: "invalid_config",
      });
      expect(error.message).toMatch(new RegExp(`^config\\.targets\\[0\\]\\.${field}: `));
    });
  }

  for (const host of [
    "file:///x",
    "http://169.254.169.254/latest",
    "http://127.0.0.1:9912/v1",
    "https://evil.example.com/v1",
    `https://${"a".repeat(64)}.allowed.test/v1`,
  ]) {
    it(`refuses custom_host ${host.slice(0, 40)} with the path, on POST and PUT`, async () => {
      const bad = fallback({ provider: "openai", api_key: "k", custom_host: host });
      const error = await expectError(await post(bad), 400, {
        param: "config.targets[0].custom_host",
        code: "custom_host_not_allowed",
      });
      expect(error.message).toMatch(/^config\.targets\[0\]\.custom_host: custom_host refused: /);
      const slug = uniqueSlug("cfg");
      const created = await adminCall({
        method: "POST",
        path: "/configs",
        body: { slug, config: { provider: "openai", api_key: "k" } },
      });
      expect(created.status).toBe(201);
      await expectError(await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: bad } }), 400, {
        param: "config.targets[0].custom_host",
      });
    });
  }

  it("refuses a custom_host on a strategy node (it is inherited) and accepts an allowlisted one", async () => {
    const inherited = {
      strategy: { mode: "fallback" },
      custom_host: "http://10.0.0.1/v1",
      targets: [{ provider: "custom", api_key: "k" }],
    };
    await expectError(await post(inherited), 400, { param: "config.custom_host" });
    const ok = { ...inherited, custom_host: "https://llm.allowed.test/v1" };
    expect((await post(ok)).status).toBe(201);
  });
});

describe("custom_host names too long to be host names", () => {
  const customHeaders = (host: string) => ({
    "x-portkey-provider": "custom",
    "x-portkey-custom-host": host,
    authorization: "Bearer k",
  });
  for (const [what, host] of [
    ["a 5,000-character label", `https://${"a".repeat(5000)}.allowed.test/v1`],
    ["a 64-character label", `https://${"a".repeat(64)}.allowed.test/v1`],
    ["a name over 253 characters", `https://${`${"a".repeat(60)}.`.repeat(5)}allowed.test/v1`],
    ["an empty label", "https://llm..allowed.test/v1"],
  ] as const) {
    it(`${what} is a 400 before any DNS lookup`, async () => {
      const error = await refused(
        await gateway({ headers: customHeaders(host), body: chat() }),
        "custom_host",
        "custom_host_not_allowed",
      );
      expect(error.message).toMatch(/^custom_host refused: /);
    });
  }

  it("a 63-character label under the allowlist is still fine", async () => {
    const host = `https://${"a".repeat(63)}.allowed.test/v1`;
    upstream.use(http.post(`${host}/chat/completions`, () => HttpResponse.json(completion)));
    expect((await gateway({ headers: customHeaders(host), body: chat() })).status).toBe(200);
  });
});

describe("x-portkey-request-timeout", () => {
  const headers = { "x-portkey-provider": "openai", authorization: "Bearer k" };
  for (const value of [
    "0x10",
    "1e3",
    "16.0",
    "+16",
    "016",
    " 16a",
    "0",
    "-5",
    "Infinity",
    "600001",
    "99999999999999999999",
  ]) {
    it(`refuses ${JSON.stringify(value)}`, async () => {
      const error = await refused(
        await gateway({ headers: { ...headers, "x-portkey-request-timeout": value }, body: chat() }),
        "x-portkey-request-timeout",
        "invalid_parameter",
      );
      expect(error.message).toMatch(/^x-portkey-request-timeout: /);
    });
  }

  it("accepts a decimal integer up to the bound", async () => {
    upstream.use(http.post("https://api.openai.com/v1/chat/completions", () => HttpResponse.json(completion)));
    expect(
      (await gateway({ headers: { ...headers, "x-portkey-request-timeout": "600000" }, body: chat() })).status,
    ).toBe(200);
  });
});
