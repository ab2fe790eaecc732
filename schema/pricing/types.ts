/** Per-token list prices in USD. */
export interface Rates {
  /** Uncached prompt tokens. */
  readonly input: number;
  /** Completion tokens, reasoning tokens included (providers bill them as output). */
  readonly output: number;
  /** Prompt tokens read from the provider's cache; null: not listed, billed at `input`. */
  readonly cacheRead: number | null;
  /** Prompt tokens written to the provider's cache; null: not listed, billed at `input`. */
  readonly cacheWrite: number | null;
}

/** Higher rates that apply to the whole request once the prompt exceeds `above` tokens (Gemini Pro, GPT-5.4+). */
export interface LongContextTier {
  readonly above: number;
  readonly rates: Rates;
}

export interface ModelPrice extends Rates {
  /** The price table that answered: differs from the requested provider for azure-openai -> openai and openrouter -> vendor. */
  readonly provider: string;
  /** The table key that matched (`gpt-4o` for a request of `gpt-4o-2099-01-01`), or `default`. Log it next to the cost. */
  readonly model: string;
  readonly longContext: LongContextTier | null;
}
