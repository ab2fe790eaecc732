// Pure transform from the Portkey-AI/models pricing catalog to the gateway's compact price table.
// Kept free of I/O so it can be unit-tested inside workerd (where no catalog checkout is reachable) with a tiny
// inline catalog; generate.mjs does the file reading and writing.

/** Where the data comes from; copied verbatim into the generated table's header. */
export const CATALOG_HEADER = Object.freeze({
  source: "Portkey-AI/models",
  commit: "f654307",
  date: "2026-08-21",
  license: "MIT",
  units: "USD per million tokens",
});

/**
 * Gateway provider id -> catalog file stem (pricing/<stem>.json). Every id currently matches its file name;
 * the map exists so a future rename on either side is a one-line change. `ollama` and `custom` are absent on
 * purpose: self-hosted models have no list price, so their cost is null (unknown), not 0.
 */
export const PROVIDER_SOURCES = Object.freeze({
  openai: "openai",
  "azure-openai": "azure-openai",
  groq: "groq",
  "together-ai": "together-ai",
  "fireworks-ai": "fireworks-ai",
  deepseek: "deepseek",
  "x-ai": "x-ai",
  "perplexity-ai": "perplexity-ai",
  "mistral-ai": "mistral-ai",
  openrouter: "openrouter",
  cerebras: "cerebras",
  deepinfra: "deepinfra",
  nebius: "nebius",
  anthropic: "anthropic",
  google: "google",
  bedrock: "bedrock",
  "vertex-ai": "vertex-ai",
  cohere: "cohere",
  "workers-ai": "workers-ai",
  "azure-ai": "azure-ai",
  "novita-ai": "novita-ai",
  moonshot: "moonshot",
  dashscope: "dashscope",
  zhipu: "zhipu",
  "z-ai": "z-ai",
});

// Catalog rate keys in the order the table stores them: [input, output, cacheRead, cacheWrite].
const RATE_KEYS = ["request_token", "response_token", "cache_read_input_token", "cache_write_input_token"];

// Gemini long-context tiers are encoded in the google catalog as two sibling models: `<m>-lte-128k`/`<m>-gt-128k`.
const NAMED_TIER = /^(.+)-(lte|gt)-(\d+)k$/;

/**
 * Cents per token -> USD per million tokens, without float noise (0.0003 x 10,000 must be 3, not
 * 2.9999999999999996). Per million, a rate is written "3" or "0.15" instead of "0.000003" or "1.5e-7": the table
 * is the largest data in the Worker bundle, and the decoder (table.ts) turns "3" back into 3e-6 exactly.
 */
export function centsToUsdPerMillion(cents) {
  return Number((cents * 10_000).toPrecision(12));
}

function priceOf(payg, key, where) {
  const price = payg?.[key]?.price;
  if (price === undefined || price === null) return null;
  if (typeof price !== "number" || !Number.isFinite(price) || price < 0) {
    throw new Error(`${where}: ${key}.price is not a non-negative number: ${JSON.stringify(price)}`);
  }
  return centsToUsdPerMillion(price);
}

/**
 * Rates [input, output, cacheRead, cacheWrite] in USD per million tokens. Input/output absent means "not charged per
 * token" (an embedding has no output) -> 0. Cache rates keep null when absent, because cost.ts then falls back
 * to the input rate, whereas an explicit 0 (OpenAI's free cache writes) must stay 0.
 */
function ratesOf(payg, where) {
  const [input, output, cacheRead, cacheWrite] = statedRates(payg, where);
  return [input ?? 0, output ?? 0, cacheRead, cacheWrite];
}

/** Only what the catalog states (null where absent): used to overlay one set of rates on another. */
function statedRates(payg, where) {
  return RATE_KEYS.map((k) => priceOf(payg, k, where));
}

// A tier states only what differs; anything it leaves out is inherited from the base rates.
function overlay(base, over) {
  return base.map((value, i) => over[i] ?? value);
}

// Input and output both 0: the model is priced per image/second/request or per text-token split (an image model,
// a router) — pricing it by our four rates would report a near-zero cost, so it is treated as unpriced.
const isFree = (rates) => !rates[0] && !rates[1];
const sameRates = (a, b) => a.every((v, i) => v === b[i]);

/** Trailing absent cache rates are dropped; an absent cacheRead before a present cacheWrite stays null. */
function compact(rates) {
  const out = [...rates];
  while (out.length > 2 && out[out.length - 1] === null) out.pop();
  return out;
}

// Long-context tier from `custom_pricing.context_tier_map` ({"0": "lte-200k", "200000": "gt-200k"}), standard mode.
function mappedTier(entry, base, where) {
  const custom = entry.custom_pricing;
  const map = custom?.context_tier_map;
  const tiers = custom?.regions?.default?.execution_modes?.standard?.context_tiers;
  if (!map || !tiers) return null;
  const bounds = Object.keys(map)
    .map(Number)
    .sort((a, b) => a - b);
  if (bounds.length !== 2 || bounds[0] !== 0)
    throw new Error(`${where}: unsupported context_tier_map ${JSON.stringify(map)}`);
  const low = tiers[map["0"]]?.pricing_config?.pay_as_you_go;
  const high = tiers[map[String(bounds[1])]]?.pricing_config?.pay_as_you_go;
  if (!high) return null;
  // The top-level pay_as_you_go stays authoritative for the base; the low tier only fills gaps in it.
  const filledBase = low ? overlay(ratesOf(low, where), statedRates(entry.pricing_config?.pay_as_you_go, where)) : base;
  return { base: filledBase, above: bounds[1], long: overlay(filledBase, statedRates(high, where)) };
}

function encode(base, tier) {
  if (!tier || sameRates(base, tier.long)) return compact(base);
  return [compact(base), tier.above, compact(tier.long)];
}

/**
 * Gemini's `<m>-lte-Nk` / `<m>-gt-Nk` pairs -> one `<m>` with a long-context tier. When a model has several
 * pairs (128k and 200k), the lowest threshold wins: it can only over-charge, which is the safe side for budgets.
 */
function collectNamedTiers(models, where) {
  const pairs = new Map();
  for (const [name, entry] of Object.entries(models)) {
    const m = NAMED_TIER.exec(name);
    if (!m) continue;
    const [, base, side, k] = m;
    const above = Number(k) * 1000;
    const key = `${base}\u0000${above}`;
    const pair = pairs.get(key) ?? { base, above, names: [] };
    const payg = entry.pricing_config?.pay_as_you_go;
    pair[side] = side === "lte" ? ratesOf(payg, `${where}/${name}`) : statedRates(payg, `${where}/${name}`);
    pair.names.push(name);
    pairs.set(key, pair);
  }
  const byBase = new Map();
  for (const pair of pairs.values()) {
    if (!pair.lte || !pair.gt) continue;
    const seen = byBase.get(pair.base);
    if (!seen || pair.above < seen.above) byBase.set(pair.base, pair);
  }
  return byBase;
}

/**
 * catalogs: { [gatewayProviderId]: parsed pricing/<stem>.json }.
 * Returns { table, report }: `table` is what gets written; `report` lists what was left out and why.
 */
export function buildPriceTable(catalogs, header = CATALOG_HEADER) {
  const providers = {};
  const defaults = {};
  const report = { models: 0, droppedNoTokenPrice: [], foldedTierNames: [] };

  for (const provider of Object.keys(catalogs).sort()) {
    const models = catalogs[provider];
    const out = {};
    const tiered = collectNamedTiers(models, provider);
    const tierNames = new Set();
    for (const [base, pair] of tiered) {
      const long = overlay(pair.lte, pair.gt);
      if (isFree(pair.lte) && isFree(long)) report.droppedNoTokenPrice.push(`${provider}/${base}`);
      else out[base] = encode(pair.lte, { above: pair.above, long });
      for (const n of pair.names) tierNames.add(n);
    }
    // Every `-lte/-gt` name is represented by its base entry now, including the losing 200k pair.
    for (const name of Object.keys(models)) {
      const m = NAMED_TIER.exec(name);
      if (m && tiered.has(m[1])) tierNames.add(name);
    }
    report.foldedTierNames.push(...[...tierNames].map((n) => `${provider}/${n}`));

    for (const name of Object.keys(models).sort()) {
      const entry = models[name];
      const where = `${provider}/${name}`;
      if (tierNames.has(name)) continue;
      const base = ratesOf(entry.pricing_config?.pay_as_you_go, where);
      if (name === "default") {
        // A zero default would price every unknown model at $0; only a real list price is worth keeping.
        if (!isFree(base)) defaults[provider] = compact(base);
        continue;
      }
      // The tiered entry built from the `-lte/-gt` pair is richer than a flat sibling with the same base name.
      if (tiered.has(name)) continue;
      const tier = mappedTier(entry, base, where);
      const rates = tier ? tier.base : base;
      // Unpriced per token (see isFree), except models the catalog names as free: for those, $0 is a known
      // price, not an unknown one.
      if (isFree(rates) && !name.endsWith(":free")) {
        report.droppedNoTokenPrice.push(where);
        continue;
      }
      out[name] = encode(rates, tier);
    }
    const sorted = Object.fromEntries(
      Object.keys(out)
        .sort()
        .map((k) => [k, out[k]]),
    );
    report.models += Object.keys(sorted).length;
    providers[provider] = sorted;
  }
  return { table: { header: { ...header }, defaults, providers }, report };
}

/**
 * One model per line: readable diffs when prices change, and the bundler re-serialises JSON anyway, so the
 * whitespace costs nothing in the Worker.
 */
export function serializeTable(table) {
  const lines = [
    "{",
    `"header": ${JSON.stringify(table.header)},`,
    `"defaults": ${JSON.stringify(table.defaults)},`,
    `"providers": {`,
  ];
  const providerIds = Object.keys(table.providers);
  providerIds.forEach((provider, pi) => {
    lines.push(`${JSON.stringify(provider)}: {`);
    const entries = Object.entries(table.providers[provider]);
    entries.forEach(([model, rates], mi) => {
      lines.push(`${JSON.stringify(model)}: ${JSON.stringify(rates)}${mi < entries.length - 1 ? "," : ""}`);
    });
    lines.push(`}${pi < providerIds.length - 1 ? "," : ""}`);
  });
  lines.push("}", "}");
  return lines.join("\n") + "\n";
}
