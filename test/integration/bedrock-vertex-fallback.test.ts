import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { textMessage } from "../fixtures/anthropic/messages";
import { textStream as claudeText } from "../fixtures/anthropic/streams";
import { makeServiceAccount, tokenAnswer, verifyJwt } from "../fixtures/vertex/service-account";
import { chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/**
 * A fallback across clouds: Claude on Bedrock is throttled (429 ThrottlingException, the x-amzn-ErrorType header
 * AWS sends), and the same model on Vertex AI serves the request with a token minted from a service account.
 */
const BEDROCK_MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const VERTEX_MODEL = "claude-sonnet-4-5@20250929";
const BEDROCK = `https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent(BEDROCK_MODEL)}`;
const VERTEX = `https://us-east5-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-east5/publishers/anthropic/models/${VERTEX_MODEL}`;
const ask = (extra: object = {}) => ({
  model: BEDROCK_MODEL,
  messages: [{ role: "user", content: "Hello?" }],
  max_tokens: 200,
  ...extra,
});

interface Seen {
  bedrock: Array<string | null>;
  vertex: Array<{ authorization: string | null; body: Record<string, unknown> }>;
  assertions: string[];
}

function fakeClouds(vertexAnswer: () => Response, operation: "converse" | "converse-stream"): Seen {
  const seen: Seen = { bedrock: [], vertex: [], assertions: [] };
  upstream.use(
    http.post(`${BEDROCK}/${operation}`, ({ request }) => {
      seen.bedrock.push(request.headers.get("authorization"));
      return HttpResponse.json(
        { message: "Too many requests, please wait before trying again." },
        { status: 429, headers: { "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/" } },
      );
    }),
    http.post("https://oauth2.googleapis.com/token", async ({ request }) => {
      seen.assertions.push(
        new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())).get("assertion") ?? "",
      );
      return HttpResponse.json(tokenAnswer("ya29.fallback-token"));
    }),
    http.post(`${VERTEX}:${operation === "converse" ? "rawPredict" : "streamRawPredict"}`, async ({ request }) => {
      seen.vertex.push({
        authorization: request.headers.get("authorization"),
        body: (await request.json()) as Record<string, unknown>,
      });
      return vertexAnswer();
    }),
  );
  return seen;
}

async function fallbackConfig(): Promise<{ config: string; publicKey: CryptoKey }> {
  const sa = await makeServiceAccount(`fb-${crypto.randomUUID().slice(0, 8)}@acme-prod.iam.gserviceaccount.com`);
  const config = {
    strategy: { mode: "fallback" },
    targets: [
      {
        provider: "bedrock",
        aws_access_key_id: "AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        aws_region: "us-east-1",
      },
      {
        provider: "vertex-ai",
        vertex_service_account_json: sa.text,
        vertex_region: "us-east5",
        override_params: { model: VERTEX_MODEL },
      },
    ],
  };
  return { config: JSON.stringify(config), publicKey: sa.publicKey };
}

describe("fallback: Bedrock throttled -> Vertex AI", () => {
  it("answers from Vertex, says so in x-portkey-last-used-option-index, and logs both attempts", async () => {
    const seen = fakeClouds(() => HttpResponse.json(textMessage), "converse");
    const { config, publicKey } = await fallbackConfig();
    const trace = uniqueTrace("bedrock-vertex");
    const res = await gateway({ headers: { "x-portkey-config": config, "x-portkey-trace-id": trace }, body: ask() });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect(JSON.parse(text)).toMatchObject({
      choices: [{ message: { content: "Hello! How can I help you today?" }, finish_reason: "stop" }],
    });
    expect(seen.bedrock).toHaveLength(1);
    expect(seen.bedrock[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\//);
    expect(seen.vertex).toEqual([
      {
        authorization: "Bearer ya29.fallback-token",
        body: expect.objectContaining({ anthropic_version: "vertex-2023-10-16", max_tokens: 200 }) as unknown,
      },
    ]);
    expect(await verifyJwt(seen.assertions[0] ?? "", publicKey)).not.toBeNull();

    const row = await loggedRow(trace);
    // The served model as Claude reports it, priced from the catalog's vertex-ai table.
    expect(row).toMatchObject({
      status: 200,
      provider: "vertex-ai",
      model: "claude-sonnet-4-5-20250929",
      is_error: 0,
      cost_unpriced: 0,
    });
    expect(JSON.parse(row.attempts)).toMatchObject([
      { target: "config.targets[0]", provider: "bedrock", status: 429 },
      { target: "config.targets[1]", provider: "vertex-ai", status: 200 },
    ]);
    expect(row.attempts).not.toContain("wJalrXUtnFEMI");
  });

  it("a stream falls back before the first byte and arrives whole from Vertex's streamRawPredict", async () => {
    const seen = fakeClouds(
      () => new HttpResponse(chunkedBody(claudeText, [5, 17, 3]), { headers: { "content-type": "text/event-stream" } }),
      "converse-stream",
    );
    const { config } = await fallbackConfig();
    const trace = uniqueTrace("bedrock-vertex-stream");
    const res = await gateway({
      headers: { "x-portkey-config": config, "x-portkey-trace-id": trace },
      body: ask({ stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    const data = await sseData(res);
    expect(data.at(-1)).toBe("[DONE]");
    const content = data
      .slice(0, -1)
      .map(
        (d) => (JSON.parse(d) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "",
      )
      .join("");
    expect(content).toBe("Hello! How can I help?");
    expect(seen.bedrock).toHaveLength(1);
    expect(seen.vertex[0]?.body).toMatchObject({ stream: true, anthropic_version: "vertex-2023-10-16" });
    const row = await loggedRow(trace);
    expect(JSON.parse(row.attempts)).toMatchObject([
      { provider: "bedrock", status: 429 },
      { provider: "vertex-ai", status: 200 },
    ]);
  });
});
