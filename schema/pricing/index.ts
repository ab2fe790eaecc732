// Model prices from the project's own table (schema/pricing/prices.generated.json, generated from
// Portkey-AI/models, MIT; see README.md beside this file). No I/O at run time.
import { PRICE_TABLES, type ProviderTable } from "./table";
import type { ModelPrice } from "./types";

export type { LongContextTier, ModelPrice, Rates } from "./types";
export { PRICE_TABLE_HEADER, type PriceHeader } from "./table";
export { costOf, estimateTokens, worstCaseCost, type Cost, type CostLine, type TokenUsage } from "./cost";

// `-2024-08-06` (OpenAI), `-20250929` (Anthropic), `@20250929` (Claude on Vertex).
const DATE_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|[-@]\d{8})$/;
// Bedrock cross-region inference profiles: `us.anthropic.claude-...` is priced like `anthropic.claude-...`.
const BEDROCK_REGION = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|in|global)\./;

// OpenRouter vendor prefixes whose model is priced by that vendor's own table when OpenRouter's lacks it. A Map,
// not an object literal: the key comes from the request, and `constructor/x` must not find a prototype member.
const OPENROUTER_VENDORS: ReadonlyMap<string, string> = new Map([
  ["openai", "openai"],
  ["anthropic", "anthropic"],
  ["google", "google"],
  ["x-ai", "x-ai"],
  ["mistralai", "mistral-ai"],
  ["deepseek", "deepseek"],
]);

/** Spellings to try for one table, most specific first. */
function spellings(provider: string, model: string): string[] {
  const out = new Set<string>();
  const add = (name: string): void => {
    out.add(name);
    out.add(name.replace(DATE_SUFFIX, ""));
  };
  add(model);
  if (model.startsWith("models/")) add(model.slice("models/".length));
  if (provider === "bedrock") add(model.replace(BEDROCK_REGION, ""));
  out.delete("");
  return [...out];
}

function find(table: ProviderTable, provider: string, model: string): ModelPrice | undefined {
  const names = spellings(provider, model);
  for (const name of names) {
    const hit = table.get(name);
    if (hit) return hit;
  }
  for (const name of names) {
    const hit = table.getIgnoringCase(name);
    if (hit) return hit;
  }
  return undefined;
}

/** The other tables that may price this request, in order, after the provider's own. */
function fallbacks(provider: string, model: string): Array<[string, string]> {
  if (provider === "azure-openai") return [["openai", model]];
  if (provider === "openrouter") {
    const slash = model.indexOf("/");
    const vendor = slash > 0 ? OPENROUTER_VENDORS.get(model.slice(0, slash)) : undefined;
    if (!vendor) return [];
    const name = model.slice(slash + 1);
    // OpenRouter writes Claude versions with dots (claude-sonnet-4.5); Anthropic's ids use dashes.
    return vendor === "anthropic"
      ? [
          [vendor, name],
          [vendor, name.replace(/(\d)\.(\d)/g, "$1-$2")],
        ]
      : [[vendor, name]];
  }
  return [];
}

/**
 * The list price of `model` served by `provider`, or null when the table does not know it — the caller then
 * records cost null with an "unpriced" flag, never 0. Lookup order (first hit wins):
 *  1. the provider's table: the exact id; the id without a date suffix (`gpt-4o-2024-08-06` -> `gpt-4o`,
 *     `claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`); without a `models/` prefix (Gemini); for bedrock
 *     without a cross-region prefix (`us.`, `eu.`, `global.` ...); then the same spellings case-insensitively;
 *  2. azure-openai: the same in openai's table (Azure bills OpenAI models at OpenAI's list prices);
 *     openrouter `vendor/model`: the same in that vendor's table (OpenRouter passes the vendor's price through);
 *  3. the provider's `default` entry, which the generator keeps only when it is a real non-zero price (none is
 *     in the current catalog), so an unknown model is null, not free.
 */
export function priceFor(provider: string, model: string): ModelPrice | null {
  const own = PRICE_TABLES.get(provider);
  // The common case, an exact id, costs one Map lookup and no string work.
  const ownHit = own && (own.get(model) ?? find(own, provider, model));
  if (ownHit) return ownHit;
  for (const [other, name] of fallbacks(provider, model)) {
    const table = PRICE_TABLES.get(other);
    const hit = table && find(table, other, name);
    if (hit) return hit;
  }
  return own?.fallback ?? null;
}
