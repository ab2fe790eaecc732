import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { textMessage } from "../fixtures/anthropic/messages";
import { cutStream as claudeCut, textStream as claudeText } from "../fixtures/anthropic/streams";
import { textStream as geminiText } from "../fixtures/google/streams";
import {
  makeServiceAccount,
  tokenAnswer,
  verifyJwt,
  type FakeServiceAccount,
} from "../fixtures/vertex/service-account";
import { brokenBody, chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

const TOKEN_URL = "https://oauth2.googleapis.com/token";
const CENTRAL = "https://us-central1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-central1/publishers";
const EAST5 = "https://us-east5-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-east5/publishers";
const ask = (model: string, extra: object = {}) => ({
  model,
  messages: [{ role: "user", content: "Why is the sky blue?" }],
  ...extra,
});

const geminiAnswer = {
  candidates: [
    { content: { role: "model", parts: [{ text: "Rayleigh scattering." }] }, finishReason: "STOP", index: 0 },
  ],
  usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 4, totalTokenCount: 12 },
  modelVersion: "gemini-2.5-flash",
  responseId: "vtx-resp-1",
};

/** Each test mints its own account: the gateway's token cache is per isolate, and must not mix tests up. */
async function account(): Promise<FakeServiceAccount> {
  return makeServiceAccount(`gw-${crypto.randomUUID().slice(0, 8)}@acme-prod.iam.gserviceaccount.com`);
}

function vertexHeaders(sa: FakeServiceAccount, extra: Record<string, string> = {}): Record<string, string> {
  return { "x-portkey-provider": "vertex-ai", "x-portkey-vertex-service-account-json": sa.text, ...extra };
}

/** Google's token endpoint: checks the grant, records each assertion, answers `ya29.<n>`. */
function fakeTokens(answer?: () => Response): string[] {
  const assertions: string[] = [];
  upstream.use(
    http.post(TOKEN_URL, async ({ request }) => {
      const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
        return HttpResponse.json({ error: "unsupported_grant_type" }, { status: 400 });
      assertions.push(form.get("assertion") ?? "");
      return answer ? answer() : HttpResponse.json(tokenAnswer(`ya29.token-${assertions.length}`));
    }),
  );
  return assertions;
}

interface Seen {
  url: string;
  authorization: string | null;
  body: Record<string, unknown>;
}

function fakeVertex(url: string, respond: () => Response): Seen[] {
  const seen: Seen[] = [];
  upstream.use(
    http.post(url, async ({ request }) => {
      seen.push({
        url: request.url,
        authorization: request.headers.get("authorization"),
        body: (await request.json()) as Record<string, unknown>,
      });
      return respond();
    }),
  );
  return seen;
}

describe("vertex-ai: Gemini", () => {
  it("mints a token from the service account once, and calls generateContent with it", async () => {
    const sa = await account();
    const assertions = fakeTokens();
    const seen = fakeVertex(`${CENTRAL}/google/models/gemini-2.5-flash:generateContent`, () =>
      HttpResponse.json(geminiAnswer),
    );

    const first = await gateway({ headers: vertexHeaders(sa), body: ask("gemini-2.5-flash") });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      object: "chat.completion",
      id: "vtx-resp-1",
      choices: [{ message: { role: "assistant", content: "Rayleigh scattering." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 },
    });
    expect(seen[0]?.authorization).toBe("Bearer ya29.token-1");
    expect(seen[0]?.body).toEqual({ contents: [{ role: "user", parts: [{ text: "Why is the sky blue?" }] }] });
    const verified = await verifyJwt(assertions[0] ?? "", sa.publicKey);
    expect(verified?.claims).toMatchObject({ iss: sa.json.client_email, aud: TOKEN_URL });

    const second = await gateway({ headers: vertexHeaders(sa), body: ask("gemini-2.5-flash") });
    expect(second.status).toBe(200);
    expect(assertions).toHaveLength(1);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer ya29.token-1", "Bearer ya29.token-1"]);
  });

  it("streams streamGenerateContent?alt=sse split at awkward bytes, with usage", async () => {
    const sa = await account();
    fakeTokens();
    const bytes = new TextEncoder().encode(geminiText).length;
    for (const cut of [1, 7, Math.floor(bytes / 2), bytes - 3]) {
      upstream.use(
        http.post(`${CENTRAL}/google/models/gemini-2.5-flash:streamGenerateContent`, ({ request }) => {
          if (new URL(request.url).searchParams.get("alt") !== "sse")
            return HttpResponse.json(
              { error: { code: 400, message: "alt", status: "INVALID_ARGUMENT" } },
              { status: 400 },
            );
          return new HttpResponse(chunkedBody(geminiText, [cut, cut + 2, cut + 5]), {
            headers: { "content-type": "text/event-stream" },
          });
        }),
      );
      const res = await gateway({
        headers: vertexHeaders(sa),
        body: ask("gemini-2.5-flash", { stream: true, stream_options: { include_usage: true } }),
      });
      const data = await sseData(res);
      expect(data.at(-1), `cut ${cut}`).toBe("[DONE]");
      const chunks = data
        .slice(0, -1)
        .map((d) => JSON.parse(d) as { choices: Array<{ delta: { content?: string } }>; usage?: unknown });
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(
        "The sky is blue because of Rayleigh scattering.",
      );
      expect(chunks.at(-1)?.usage).toMatchObject({
        prompt_tokens: 9,
        completion_tokens: 36,
        prompt_tokens_details: { cached_tokens: 4 },
      });
    }
  });

  it("passes Vertex's own errors on with their status (429 RESOURCE_EXHAUSTED)", async () => {
    const sa = await account();
    fakeTokens();
    fakeVertex(`${CENTRAL}/google/models/gemini-2.5-flash:generateContent`, () =>
      HttpResponse.json(
        {
          error: {
            code: 429,
            message: "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute",
            status: "RESOURCE_EXHAUSTED",
          },
        },
        { status: 429 },
      ),
    );
    const res = await gateway({ headers: vertexHeaders(sa), body: ask("gemini-2.5-flash") });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      error: {
        message: "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute",
        type: "resource_exhausted",
        code: "RESOURCE_EXHAUSTED",
        param: null,
      },
    });
  });
});

describe("vertex-ai: Claude", () => {
  it("calls rawPredict in the header's region with vertex-2023-10-16, and prices the answer", async () => {
    const sa = await account();
    fakeTokens();
    const seen = fakeVertex(`${EAST5}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`, () =>
      HttpResponse.json(textMessage),
    );
    const trace = uniqueTrace("vertex-claude");
    const res = await gateway({
      headers: vertexHeaders(sa, { "x-portkey-vertex-region": "us-east5", "x-portkey-trace-id": trace }),
      body: ask("claude-sonnet-4-5@20250929", { max_tokens: 300 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      choices: [{ message: { content: "Hello! How can I help you today?" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 21, completion_tokens: 9 },
    });
    expect(seen[0]?.body).toMatchObject({ anthropic_version: "vertex-2023-10-16", max_tokens: 300 });
    expect(seen[0]?.body).not.toHaveProperty("model");
    expect(seen[0]?.authorization).toBe("Bearer ya29.token-1");
    const row = await loggedRow(trace);
    // Priced from the catalog's vertex-ai table (the served model's dated name falls back to its undated entry).
    expect(row).toMatchObject({
      status: 200,
      provider: "vertex-ai",
      prompt_tokens: 21,
      completion_tokens: 9,
      cost_unpriced: 0,
    });
    expect(row.priced_as).toMatch(/^vertex-ai\/claude-sonnet-4-5/);
    expect(row.cost_usd).toBeGreaterThan(0);
  });

  it("streams streamRawPredict into OpenAI chunks", async () => {
    const sa = await account();
    fakeTokens();
    const seen = fakeVertex(
      `${EAST5}/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`,
      () =>
        new HttpResponse(chunkedBody(claudeText, [5, 61, 62, 200]), {
          headers: { "content-type": "text/event-stream" },
        }),
    );
    const res = await gateway({
      headers: vertexHeaders(sa, { "x-portkey-vertex-region": "us-east5" }),
      body: ask("anthropic.claude-sonnet-4-5@20250929", { stream: true }),
    });
    const data = await sseData(res);
    expect(data.at(-1)).toBe("[DONE]");
    const text = data
      .slice(0, -1)
      .map(
        (d) => (JSON.parse(d) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "",
      )
      .join("");
    expect(text).toBe("Hello! How can I help?");
    expect(seen[0]?.body).toMatchObject({ anthropic_version: "vertex-2023-10-16", stream: true });
  });

  it("a stream cut mid-answer ends with an error event and never [DONE]", async () => {
    const sa = await account();
    fakeTokens();
    fakeVertex(
      `${EAST5}/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`,
      () => new HttpResponse(brokenBody(claudeCut), { headers: { "content-type": "text/event-stream" } }),
    );
    const data = await sseData(
      await gateway({
        headers: vertexHeaders(sa, { "x-portkey-vertex-region": "us-east5" }),
        body: ask("claude-sonnet-4-5@20250929", { stream: true }),
      }),
    );
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "{}")).toHaveProperty("error");
  });
});

describe("vertex-ai: credentials", () => {
  it("a refused service account is a 401 in the envelope, Vertex is never called, the key never echoed", async () => {
    const sa = await account();
    fakeTokens(() =>
      HttpResponse.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 }),
    );
    const seen = fakeVertex(`${CENTRAL}/google/models/gemini-2.5-flash:generateContent`, () =>
      HttpResponse.json(geminiAnswer),
    );
    const res = await gateway({ headers: vertexHeaders(sa), body: ask("gemini-2.5-flash") });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        message:
          "vertex-ai: the service account was not accepted by Google's token endpoint (invalid_grant: Invalid JWT Signature.)",
        type: "authentication_error",
        param: null,
        code: "invalid_service_account",
      },
    });
    expect(text).not.toContain("PRIVATE KEY");
    expect(seen).toHaveLength(0);
  });

  it("a malformed service-account header is a 400 naming the header, without quoting it", async () => {
    const res = await gateway({
      headers: {
        "x-portkey-provider": "vertex-ai",
        "x-portkey-vertex-service-account-json": '{"client_email":"x@y","private_key":"not-a-key"}',
      },
      body: ask("gemini-2.5-flash"),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe("x-portkey-vertex-service-account-json");
    expect(body.error.message).not.toContain("not-a-key");
  });

  it("a region or project that is not an identifier is a 400 naming the header", async () => {
    const sa = await account();
    for (const [name, value] of [
      ["x-portkey-vertex-region", "us-central1.evil.test"],
      ["x-portkey-vertex-project-id", "acme/../other"],
    ] as const) {
      const res = await gateway({ headers: vertexHeaders(sa, { [name]: value }), body: ask("gemini-2.5-flash") });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe(name);
    }
  });

  it("takes a caller's access token as the bearer when there is no service account", async () => {
    const seen = fakeVertex(`${CENTRAL}/google/models/gemini-2.5-flash:generateContent`, () =>
      HttpResponse.json(geminiAnswer),
    );
    const res = await gateway({
      headers: {
        "x-portkey-provider": "vertex-ai",
        authorization: "Bearer ya29.from-gcloud-cli",
        "x-portkey-vertex-project-id": "acme-prod",
      },
      body: ask("gemini-2.5-flash"),
    });
    expect(res.status).toBe(200);
    expect(seen[0]?.authorization).toBe("Bearer ya29.from-gcloud-cli");
  });
});

describe("vertex-ai: embeddings and fallback", () => {
  it("embeds through predict", async () => {
    const sa = await account();
    fakeTokens();
    const seen = fakeVertex(`${CENTRAL}/google/models/text-embedding-005:predict`, () =>
      HttpResponse.json({
        predictions: [{ embeddings: { statistics: { truncated: false, token_count: 2 }, values: [0.5, 0.25] } }],
      }),
    );
    const res = await gateway({
      path: "/v1/embeddings",
      headers: vertexHeaders(sa),
      body: { model: "text-embedding-005", input: "hello there" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      object: "list",
      model: "text-embedding-005",
      data: [{ object: "embedding", index: 0, embedding: [0.5, 0.25] }],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    expect(seen[0]?.body).toEqual({ instances: [{ content: "hello there" }] });
  });

  it("falls back from Vertex (503) to Anthropic, with the service account in the config", async () => {
    const sa = await account();
    fakeTokens();
    const vertexCalls = fakeVertex(`${EAST5}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`, () =>
      HttpResponse.json(
        { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } },
        { status: 503 },
      ),
    );
    const anthropicCalls = fakeVertex("https://api.anthropic.com/v1/messages", () => HttpResponse.json(textMessage));
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        {
          provider: "vertex-ai",
          vertex_region: "us-east5",
          vertex_service_account_json: sa.json,
          override_params: { model: "claude-sonnet-4-5@20250929" },
        },
        { provider: "anthropic", api_key: "sk-ant-fallback-key-0000", override_params: { model: "claude-sonnet-4-5" } },
      ],
    };
    const res = await gateway({ headers: { "x-portkey-config": JSON.stringify(config) }, body: ask("any") });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect(vertexCalls).toHaveLength(1);
    expect(anthropicCalls[0]?.body).toMatchObject({ model: "claude-sonnet-4-5" });
  });
});
