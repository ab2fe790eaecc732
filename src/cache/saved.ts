import { costOf, priceFor } from "../../schema/pricing";
import type { CacheEntry } from "./entry";

/**
 * What a hit saved: the stored answer's usage at today's list price of the model that produced it. 0 when the
 * entry has no usage or the model is not in the price table (a saving we cannot prove is not reported).
 */
export function savedUsd(entry: CacheEntry): number {
  if (!entry.usage) return 0;
  const price = priceFor(entry.provider, entry.model);
  return price ? costOf(price, entry.usage).usd : 0;
}
