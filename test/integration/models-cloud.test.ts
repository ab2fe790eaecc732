import { describe, expect, it } from "vitest";
import { bearer, createKey } from "./governance-helpers";
import { gateway, useFakeUpstreams } from "./harness";

useFakeUpstreams();

/** GET /v1/models for Bedrock and Vertex AI: the price table's models that their adapters serve, no upstream call. */

interface ModelList {
  object: "list";
  data: Array<{ id: string; object: string; created: number; owned_by: string }>;
}

async function list(headers: Record<string, string>): Promise<ModelList> {
  const res = await gateway({ method: "GET", path: "/v1/models", headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as ModelList;
}

const ids = (models: ModelList) => models.data.map((model) => model.id);

describe("GET /v1/models: bedrock and vertex-ai", () => {
  it("bedrock: Converse and embedding ids as Bedrock names them; no bare Anthropic names, no rerankers", async () => {
    const models = await list({ "x-portkey-provider": "bedrock" });
    expect(models.data.every((model) => model.owned_by === "bedrock" && model.object === "model")).toBe(true);
    expect(ids(models)).toEqual(
      expect.arrayContaining([
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "us.anthropic.claude-sonnet-4-6",
        "amazon.nova-pro-v1:0",
        "meta.llama3-3-70b-instruct-v1:0",
        "amazon.titan-embed-text-v2:0",
        "cohere.embed-english-v3",
      ]),
    );
    for (const unserved of ["claude-3-5-haiku-20241022", "claude", "amazon.rerank-v1:0", "cohere.rerank-v3-5:0"])
      expect(ids(models)).not.toContain(unserved);
  });

  it("vertex-ai: Gemini, Claude under Vertex's names and text embeddings; no MaaS, speech or rankers", async () => {
    const models = await list({ "x-portkey-provider": "vertex-ai" });
    expect(models.data.every((model) => model.owned_by === "vertex-ai")).toBe(true);
    expect(ids(models)).toEqual(
      expect.arrayContaining([
        "gemini-2.5-flash",
        "gemini-2.5-pro",
        "claude-sonnet-4-5@20250929",
        "claude-sonnet-4-5",
        "anthropic.claude-opus-4-7",
        "text-embedding-005",
        "gemini-embedding-001",
      ]),
    );
    for (const unserved of [
      "claude-sonnet-4-5-20250929",
      "chirp-3-hd",
      "llama-3.3-70b-instruct-maas",
      "semantic-ranker-default",
      "multimodalembedding",
      "mistral-medium-3",
    ])
      expect(ids(models)).not.toContain(unserved);
  });

  it("a gateway key allowed only bedrock and vertex-ai lists exactly their models, and one model by id", async () => {
    const { key } = await createKey({ allowed_providers: ["bedrock", "vertex-ai"] });
    const models = await list(bearer(key));
    expect(new Set(models.data.map((model) => model.owned_by))).toEqual(new Set(["bedrock", "vertex-ai"]));
    expect(ids(models)).toEqual([...ids(models)].sort((a, b) => a.localeCompare(b)));
    const one = await gateway({
      method: "GET",
      path: "/v1/models/anthropic.claude-3-7-sonnet-20250219-v1:0",
      headers: { ...bearer(key), "x-portkey-provider": "bedrock" },
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({
      id: "anthropic.claude-3-7-sonnet-20250219-v1:0",
      object: "model",
      created: 0,
      owned_by: "bedrock",
    });
  });
});
