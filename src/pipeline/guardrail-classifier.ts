import { scoresFromLlamaGuard } from "../../guardrails/classifiers/llama-guard";
import { scoresFromOpenAiModeration } from "../../guardrails/classifiers/openai-moderation";
import type { CheckContext, ClassifierOptions, ModerationCategory } from "../../guardrails/types";
import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import type { AppContext } from "../context";
import { hasAiBinding } from "../configs/guardrail-validator";
import { virtualKeyResolver } from "../governance/request";
import { checkCustomHost, customHostPolicy } from "../lib/custom-host";

/**
 * The moderation classifier behind `default.moderation` (CheckContext.classify). A check whose parameters name a
 * `virtual_key` calls that provider's OpenAI-style `/moderations` endpoint with the key's stored credential (only for
 * gateway-key callers allowed to use it, like any virtual key); otherwise Llama Guard runs on the `AI` binding.
 * Config time already refused a moderation check with neither (src/configs/guardrail-validator.ts).
 */
export const LLAMA_GUARD_MODEL = "@cf/meta/llama-guard-3-8b";
export const DEFAULT_MODERATION_MODEL = "omni-moderation-latest";
/** A classifier is one more call on the request path: cut it like a webhook. */
export const CLASSIFIER_TIMEOUT_MS = 3_000;

type Scores = Partial<Record<ModerationCategory, number>>;

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

async function classifyWithLlamaGuard(ai: AiRunner, text: string): Promise<Scores> {
  const result = await ai.run(LLAMA_GUARD_MODEL, { messages: [{ role: "user", content: text }] });
  return scoresFromLlamaGuard(llamaGuardText(result));
}

async function classifyWithProvider(
  c: AppContext,
  text: string,
  options: ClassifierOptions,
  signal: AbortSignal,
): Promise<Scores> {
  const slug = options.virtualKey ?? "";
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
  const response = await fetch(`${base.replace(/\/+$/, "")}/moderations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${credential.api_key}` },
    body: JSON.stringify({ model: options.model ?? DEFAULT_MODERATION_MODEL, input: text }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(CLASSIFIER_TIMEOUT_MS)]),
    redirect: "manual",
  });
  if (!response.ok) throw new Error(`moderation endpoint answered ${response.status}`);
  return scoresFromOpenAiModeration(await response.json());
}

/** The classify function of a request's CheckContext (undefined when the gateway has no classifier at all). */
export function classifierFor(c: AppContext, signal: AbortSignal): CheckContext["classify"] {
  const ai = hasAiBinding(c.env) ? ((c.env as { AI?: unknown }).AI as AiRunner) : null;
  return async (text, _categories, options = {}) => {
    if (options.virtualKey !== undefined) return classifyWithProvider(c, text, options, signal);
    if (ai) return classifyWithLlamaGuard(ai, text);
    throw new Error("no moderation classifier is configured");
  };
}
