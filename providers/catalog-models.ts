import type { ProviderId } from "../schema/provider-ids";

/**
 * Which of the price table's models an adapter can actually serve, for GET /v1/models. The catalog prices
 * everything a cloud sells under a provider (rerankers, speech, image and partner "MaaS" models, and for Bedrock
 * also bare Anthropic names that are not Bedrock ids); listing those would invite requests that can only fail.
 * Providers not named here serve every model of theirs the table lists.
 */

/**
 * Bedrock ids always carry a vendor (`anthropic.claude-...`, `us.amazon.nova-pro-v1`); Converse serves chat
 * models and InvokeModel the Titan text and Cohere embedders. Rerank and image-embedding models have no route.
 */
function bedrockServes(model: string): boolean {
  if (!model.includes(".")) return false;
  return !/rerank|titan-embed-image/.test(model);
}

/**
 * Vertex: Google's Gemini and text-embedding models, and Claude under its Vertex names (`claude-sonnet-4-5`,
 * `claude-sonnet-4-5@20250929`, Portkey's `anthropic.` prefix), not Anthropic's dashed dates
 * (`claude-sonnet-4-5-20250929`), which Vertex does not know.
 */
const VERTEX_SERVED =
  /^(?:gemini-.+|text-embedding.*|text-multilingual-embedding.*|textembedding-gecko.*|anthropic\.claude-.+|claude-.+)$/;

function vertexServes(model: string): boolean {
  if (!VERTEX_SERVED.test(model)) return false;
  return !(model.startsWith("claude-") && /-\d{8}$/.test(model));
}

export function servesCatalogModel(provider: ProviderId, model: string): boolean {
  if (provider === "bedrock") return bedrockServes(model);
  if (provider === "vertex-ai") return vertexServes(model);
  return true;
}
