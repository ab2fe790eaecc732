import { adapterFor } from "../../../providers/registry";
import { messagesToChat } from "../../../providers/inbound-anthropic/to-chat";
import { countTokensRequestSchema } from "../../../schema/anthropic-messages";
import type { AppContext } from "../../context";
import { callerOf } from "../../governance/caller";
import { promptTokens } from "../../governance/estimate";
import type { ResolvedLeaf } from "../../governance/leaf";
import { checkTarget } from "../../governance/policy";
import { checkUpstreamUrl, customHostPolicy } from "../../lib/custom-host";
import { readJson, rawTextOf, validateJsonBody } from "../../lib/body";
import { fetchUpstream } from "../../lib/fetch-upstream";
import { modelFor } from "../../routing/request";
import { answerSecrets, withoutSecrets } from "../answer-secrets";
import { withForwardedHeaders } from "../forward-headers";
import { parseRequest } from "../parse";
import { resolveConfig } from "../resolve-config";
import { resolveTargets } from "../resolve-targets";
import { upstreamError } from "../upstream";
import { anthropicCall, nativeBody } from "./anthropic-native";

/**
 * `POST /v1/messages/count_tokens`. The first target of the request's config (or its provider header / virtual
 * key) decides: Anthropic counts with its own tokenizer (the body is forwarded to its count_tokens endpoint, with
 * the target's key and the client's anthropic-version / anthropic-beta); any other provider gets the gateway's
 * estimate (governance/estimate.ts, the one rate limits use), marked as such. The answer says which:
 * `x-portkey-token-count: provider | estimate`, and an estimate also carries `"estimated": true` in the body.
 * Nothing is generated, so no limit or budget is charged; the key's allowlists still apply.
 */
export const TOKEN_COUNT_HEADER = "x-portkey-token-count";

export async function countTokens(c: AppContext): Promise<Response> {
  const body = readJson(c);
  body.catch(() => {});
  const config = await resolveConfig(c);
  const json = await body;
  const request = validateJsonBody(countTokensRequestSchema, json);
  // The chat translation is what routing (virtual keys in `model`, conditions) and the estimate read.
  const { chat } = messagesToChat({ ...request, max_tokens: 1 });
  const parsed = await parseRequest(c, Promise.resolve(chat));
  const targets = await resolveTargets(c, config, parsed);
  const leaf = targets.leaves[0];
  if (!leaf) throw new Error("count_tokens: a resolved config without targets");
  checkTarget(callerOf(c)?.key ?? null, {
    path: targets.hasConfig ? leaf.path : null,
    provider: leaf.provider,
    model: modelFor(chat, leaf.routed.overrideParams),
    virtualKey: leaf.virtualKey,
  });
  c.var.outcome.route.provider = leaf.provider;
  if (leaf.provider === "anthropic")
    return anthropicCount(c, leaf, { json: json as Record<string, unknown>, raw: rawTextOf(json) });
  return c.json({ input_tokens: promptTokens("chat", chat), estimated: true }, 200, {
    [TOKEN_COUNT_HEADER]: "estimate",
  });
}

/** Anthropic's own count; only the model of override_params applies (count_tokens takes no sampling fields). */
async function anthropicCount(
  c: AppContext,
  leaf: ResolvedLeaf,
  body: { json: Record<string, unknown>; raw: string | undefined },
): Promise<Response> {
  const { routed } = leaf;
  const model = routed.overrideParams?.model;
  const text = nativeBody(body, typeof model === "string" ? { model } : undefined, countTokensRequestSchema);
  const call = anthropicCall(routed.target, "/messages/count_tokens", text);
  checkUpstreamUrl(call.url, routed.target.customHost, customHostPolicy(c.env));
  const upstream = await fetchUpstream(
    withForwardedHeaders(call, routed.forwardHeaders),
    routed.requestTimeoutMs,
    c.var.outcome.route,
  );
  const secrets = routed.target.apiKey ? [routed.target.apiKey] : [];
  if (!upstream.ok) throw await upstreamError(adapterFor("anthropic"), upstream, secrets);
  const answer = withoutSecrets(await upstream.text(), answerSecrets(routed.target, c.var.outcome.redact));
  return c.body(answer, 200, { "content-type": "application/json", [TOKEN_COUNT_HEADER]: "provider" });
}
