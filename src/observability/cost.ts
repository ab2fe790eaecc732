import { costOf, priceFor } from "../../schema/pricing";
import type { LogEvent } from "./event";
import type { Tokens } from "./tokens";

export type EventCost = LogEvent["cost"];

const FREE: EventCost = { usd: 0, unpriced: false, priced_as: null, tier: null };
const UNPRICED: EventCost = { usd: null, unpriced: true, priced_as: null, tier: null };

/**
 * USD from the project's price table (schema/pricing). A request that used no tokens (refused, failed upstream)
 * cost nothing. A model the table does not know gets usd null and `unpriced`, never 0: a sum of costs must not
 * silently look cheaper than it is. The served model is priced first (it is what was billed), then the requested
 * one (a deployment name the table lacks).
 */
export function costFor(provider: string | null, models: Array<string | null>, tokens: Tokens): EventCost {
  if (tokens.total === 0 && tokens.cached_read === 0 && tokens.cache_write === 0) return FREE;
  if (!provider) return UNPRICED;
  for (const model of models) {
    if (!model) continue;
    const price = priceFor(provider, model);
    if (!price) continue;
    const cost = costOf(price, {
      prompt_tokens: tokens.prompt,
      completion_tokens: tokens.completion,
      prompt_tokens_details: { cached_tokens: tokens.cached_read },
      cache_creation_input_tokens: tokens.cache_write,
    });
    return { usd: cost.usd, unpriced: false, priced_as: `${price.provider}/${price.model}`, tier: cost.tier };
  }
  return UNPRICED;
}
