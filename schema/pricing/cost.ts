// Turning token counts into USD. Pure functions; the price comes from priceFor() in ./index.
import type { ModelPrice, Rates } from "./types";

/**
 * The usage fields cost depends on, in OpenAI semantics (schema/openai-response.ts `Usage` and the embeddings
 * usage both fit): `prompt_tokens` INCLUDES cache reads (`prompt_tokens_details.cached_tokens`) and cache writes
 * (`cache_creation_input_tokens`, the gateway's extension, which the Anthropic adapter also counts into
 * prompt_tokens); `completion_tokens` includes reasoning tokens.
 */
export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  cache_creation_input_tokens?: number;
}

export interface CostLine {
  tokens: number;
  usd: number;
}

export interface Cost {
  usd: number;
  /** `long` when the prompt passed the model's long-context threshold and every token was billed at those rates. */
  tier: "base" | "long";
  breakdown: { input: CostLine; cacheRead: CostLine; cacheWrite: CostLine; output: CostLine };
}

// 1e-10 USD: far below any real token price (cheapest rates are ~1e-8 per token), yet it removes float noise
// such as 0.0025000000000000005 from logs and rollups.
const USD_SCALE = 1e10;
const roundUsd = (usd: number): number => Math.round(usd * USD_SCALE) / USD_SCALE;

// Upstream usage is untrusted input: a negative, fractional or missing count must not produce a negative or NaN cost.
const count = (n: number | undefined): number => (n !== undefined && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

/** The rates that apply to a request with this many prompt tokens (providers bill the whole request at the tier). */
function ratesAt(price: ModelPrice, promptTokens: number): { rates: Rates; tier: Cost["tier"] } {
  const long = price.longContext;
  return long && promptTokens > long.above ? { rates: long.rates, tier: "long" } : { rates: price, tier: "base" };
}

const line = (tokens: number, rate: number): CostLine => ({ tokens, usd: roundUsd(tokens * rate) });

/** Cost of one request from its reported usage. */
export function costOf(price: ModelPrice, usage: TokenUsage): Cost {
  const prompt = count(usage.prompt_tokens);
  const { rates, tier } = ratesAt(price, prompt);
  const cacheRead = Math.min(count(usage.prompt_tokens_details?.cached_tokens), prompt);
  const cacheWrite = Math.min(count(usage.cache_creation_input_tokens), prompt - cacheRead);
  // Cache tokens are inside prompt_tokens, so the remainder is the uncached input. The clamps above keep a
  // provider that reports inconsistent counts from producing a negative line.
  const uncached = prompt - cacheRead - cacheWrite;
  const output = count(usage.completion_tokens);
  const breakdown = {
    input: line(uncached, rates.input),
    cacheRead: line(cacheRead, rates.cacheRead ?? rates.input),
    cacheWrite: line(cacheWrite, rates.cacheWrite ?? rates.input),
    output: line(output, rates.output),
  };
  const exact =
    uncached * rates.input +
    cacheRead * (rates.cacheRead ?? rates.input) +
    cacheWrite * (rates.cacheWrite ?? rates.input) +
    output * rates.output;
  return { usd: roundUsd(exact), tier, breakdown };
}

/**
 * The most a request can cost, for budget reservations: every prompt token at the dearest prompt rate (a
 * cache write costs more than plain input at Anthropic) and `maxTokens` of output. The caller picks
 * `maxTokens` (the request's max_tokens, or a documented cap when it has none). Rounded up, so a
 * reservation never undershoots.
 */
export function worstCaseCost(price: ModelPrice, promptTokens: number, maxTokens: number): number {
  const prompt = count(promptTokens);
  const { rates } = ratesAt(price, prompt);
  const promptRate = Math.max(rates.input, rates.cacheRead ?? rates.input, rates.cacheWrite ?? rates.input);
  const scaled = (prompt * promptRate + count(maxTokens) * rates.output) * USD_SCALE;
  // Drop float noise before rounding up, or 0.01125 (112500000.00000001 when scaled) would reserve 0.0112500001.
  return Math.ceil(Number(scaled.toPrecision(12))) / USD_SCALE;
}

/**
 * A rough token count for text whose usage is not reported (budget reservations before the call, streams that
 * end without a usage chunk). ASCII counts 4 characters per token, OpenAI's rule of thumb for English; every
 * other UTF-16 unit counts as a whole token, because CJK and other non-Latin scripts take about one token per
 * character and a budget estimate should err high, not low. Results from it must be logged as estimated.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}
