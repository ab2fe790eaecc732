import { scoresFromLlamaGuard } from "../../guardrails/classifiers/llama-guard";
import { scoresFromOpenAiModeration } from "../../guardrails/classifiers/openai-moderation";
import { chatAnswerText, classifierTokensOf } from "../../guardrails/classifiers/usage";
import type { CheckContext, ClassifierOptions, ModerationCategory } from "../../guardrails/types";
import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import { estimateTokens } from "../../schema/pricing";
import type { AppContext, ClassifierUsage } from "../context";
import { hasAiBinding } from "../configs/guardrail-validator";
import { virtualKeyResolver } from "../governance/request";
import { checkCustomHost, customHostPolicy } from "../lib/custom-host";

/**
 * The moderation classifier behind `default.moderation` (CheckContext.classify). A check whose parameters name a
 * `virtual_key` calls that provider's OpenAI-style `/moderations` endpoint (or `/chat/completions` for a Llama Guard
 * model) with the key's stored credential (only for gateway-key callers allowed to use it, like any virtual key);
 * otherwise Llama Guard runs on the `AI` binding. Config time already refused a moderation check with neither
 * (src/configs/guardrail-validator.ts). Each call that answers records its tokens in the request's outcome, so the
 * log prices it (`guardrail_cost_usd`).
 */
export const LLAMA_GUARD_MODEL = "@cf/meta/llama-guard-3-8b";
export const DEFAULT_MODERATION_MODEL = "omni-moderation-latest";
/** A classifier is one more call on the request path: cut it like a webhook. */
export const CLASSIFIER_TIMEOUT_MS = 3_000;

type Scores = Partial<Record<ModerationCategory, number>>;
/** What one classifier call said, and the tokens it used (logged and priced: src/observability/guardrail-outcome.ts). */
interface Classified {
  scores: Scores;
  usage: ClassifierUsage;
}

/** A Llama Guard model behind a provider's chat API (groq `llama-guard-3-8b`, ...): judged by chat, not /moderations. */
const isLlamaGuard = (model: string): boolean => /llama[-_ ]?guard/i.test(model);

/** The tokens the answer reports, else estimated from the text judged and the text answered (never free). */
function usageOf(provider: string, model: string, answer: unknown, text: string, output = ""): ClassifierUsage {
  const reported = classifierTokensOf(answer);
  if (reported) return { provider, model, ...reported, estimated: false };
  const completionTokens = output === "" ? 0 : estimateTokens(output);
  return { provider, model, promptTokens: estimateTokens(text), completionTokens, estimated: true };
}

interface AiRunner {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

/** Llama Guard answers text (`safe` / `unsafe\nS1,S10`), or `{safe, categories}` when asked for JSON. */
function llamaGuardText(result: unknown): string {
  const response: unknown =
    typeof result === "object" && result !== null ? (result as { response?: unknown }).response : result;
  if (typeof response === "string") return response;
  if (typeof response === "object" && response !== null && typeof (response as { safe?: unknown }).safe === "boolean") {
    const { safe, categories } = response as { safe: boolean; categories?: unknown };
    return safe ? "safe" : `unsafe\n${Array.isArray(categories) ? categories.join(",") : ""}`;
  }
  throw new Error("Llama Guard gave no response text");
}

async function classifyWithLlamaGuard(ai: AiRunner, text: string): Promise<Classified> {
  const result = await ai.run(LLAMA_GUARD_MODEL, { messages: [{ role: "user", content: text }] });
  const answer = llamaGuardText(result);
  return {
    scores: scoresFromLlamaGuard(answer),
    usage: usageOf("workers-ai", LLAMA_GUARD_MODEL, result, text, answer),
  };
}

interface ClassifierEndpoint {
  provider: string;
  base: string;
  apiKey: string;
}

/** The provider, base URL and stored key a moderation check's `virtual_key` names (bearer-key providers only). */
async function endpointOf(c: AppContext, slug: string): Promise<ClassifierEndpoint> {
  const record = await virtualKeyResolver(c)(slug, "default.moderation.virtual_key");
  const credential = record.credential;
  const spec = (
    COMPATIBLE_PROVIDERS as Record<string, (typeof COMPATIBLE_PROVIDERS)[keyof typeof COMPATIBLE_PROVIDERS] | undefined>
  )[record.provider];
  const base = credential?.custom_host
    ? checkCustomHost(credential.custom_host, customHostPolicy(c.env))
    : spec?.baseUrl;
  if (!credential || !spec || spec.auth !== "bearer" || !base) {
    throw new Error(
      `virtual key ${JSON.stringify(slug)}: provider ${record.provider} has no OpenAI-style moderation endpoint`,
    );
  }
  return { provider: record.provider, base: base.replace(/\/+$/, ""), apiKey: credential.api_key };
}

async function postJson(endpoint: ClassifierEndpoint, path: string, body: unknown, signal: AbortSignal) {
  const response = await fetch(`${endpoint.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${endpoint.apiKey}` },
    body: JSON.stringify(body),
    signal: AbortSignal.any([signal, AbortSignal.timeout(CLASSIFIER_TIMEOUT_MS)]),
    redirect: "manual",
  });
  if (!response.ok) throw new Error(`moderation endpoint answered ${response.status}`);
  return (await response.json()) as unknown;
}

/**
 * A provider's OpenAI-style `POST /moderations`, or, for a Llama Guard model, `POST /chat/completions` (providers
 * serve Llama Guard as a chat model answering `safe` / `unsafe\nS1`).
 */
async function classifyWithProvider(
  c: AppContext,
  text: string,
  options: ClassifierOptions,
  signal: AbortSignal,
): Promise<Classified> {
  const endpoint = await endpointOf(c, options.virtualKey ?? "");
  const model = options.model ?? DEFAULT_MODERATION_MODEL;
  if (isLlamaGuard(model)) {
    // A verdict and a line of hazard codes: a few tokens bound the cost of a model that rambles.
    const body = { model, messages: [{ role: "user", content: text }], max_tokens: 32 };
    const answer = await postJson(endpoint, "/chat/completions", body, signal);
    const output = chatAnswerText(answer);
    return { scores: scoresFromLlamaGuard(output), usage: usageOf(endpoint.provider, model, answer, text, output) };
  }
  const answer = await postJson(endpoint, "/moderations", { model, input: text }, signal);
  return { scores: scoresFromOpenAiModeration(answer), usage: usageOf(endpoint.provider, model, answer, text) };
}

/** The classify function of a request's CheckContext (undefined when the gateway has no classifier at all). */
export function classifierFor(c: AppContext, signal: AbortSignal): CheckContext["classify"] {
  const ai = hasAiBinding(c.env) ? ((c.env as { AI?: unknown }).AI as AiRunner) : null;
  // Every call that answered is logged with its tokens (a failed one is a check error, billed as nothing).
  const record = ({ scores, usage }: Classified): Scores => {
    (c.var.outcome.classifierUsage ??= []).push(usage);
    return scores;
  };
  return async (text, _categories, options = {}) => {
    if (options.virtualKey !== undefined) return record(await classifyWithProvider(c, text, options, signal));
    if (ai) return record(await classifyWithLlamaGuard(ai, text));
    throw new Error("no moderation classifier is configured");
  };
}
