// Lookup over prices.generated.json. The bundler turns the JSON into an object literal evaluated once when the
// module loads (~1 ms); turning all ~2,000 entries into price objects up front cost another ~8 ms of startup CPU
// on the 2-core dev box — paid by every fresh isolate, queue consumers included — for the handful of models an
// isolate ever prices. So an entry is decoded on its first lookup and memoised: the Map holds only table keys,
// so it cannot grow with what callers send. The JSON is typed as unknown and checked on decode; the unit tests
// decode every entry (decodeAll), so a malformed regeneration fails there, not in production.
import generated from "./prices.generated.json";
import type { ModelPrice, Rates } from "./types";

export interface PriceHeader {
  readonly source: string;
  readonly commit: string;
  readonly date: string;
  readonly license: string;
  readonly units: string;
}

type JsonObject = Record<string, unknown>;
const isRecord = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isRate = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isOptionalRate = (v: unknown): v is number | null | undefined => v === undefined || v === null || isRate(v);

function bad(provider: string, model: string): Error {
  return new Error(`price table: bad entry ${provider}/${model}`);
}

/**
 * The table stores USD per million tokens ("3", "0.15": shorter than 0.000003 and 1.5e-7, see transform.mjs).
 * Dividing by 1e6 would round twice (0.15 is not exact in binary); reading the same decimal digits with `e-6`
 * appended rounds once, to exactly the double the per-token literal gives. A JSON number's shortest text is the
 * text the table holds, so the digits are the catalog's.
 */
const perToken = (perMillion: number): number => Number(`${perMillion}e-6`);
const perTokenOrNull = (perMillion: number | null | undefined): number | null =>
  perMillion === null || perMillion === undefined ? null : perToken(perMillion);

function decodeRates(v: unknown, provider: string, model: string): Rates {
  if (!Array.isArray(v) || v.length < 2 || v.length > 4) throw bad(provider, model);
  const [input, output, cacheRead, cacheWrite]: unknown[] = v;
  if (!isRate(input) || !isRate(output) || !isOptionalRate(cacheRead) || !isOptionalRate(cacheWrite))
    throw bad(provider, model);
  return Object.freeze({
    input: perToken(input),
    output: perToken(output),
    cacheRead: perTokenOrNull(cacheRead),
    cacheWrite: perTokenOrNull(cacheWrite),
  });
}

/** `[in, out, cacheRead?, cacheWrite?]`, or `[[base], aboveTokens, [long]]` for a long-context tier. Frozen: callers share it. */
function decodeEntry(provider: string, model: string, v: unknown): ModelPrice {
  let base: unknown = v;
  let longContext: ModelPrice["longContext"] = null;
  if (Array.isArray(v) && Array.isArray(v[0])) {
    const above: unknown = v[1];
    if (v.length !== 3 || typeof above !== "number" || !Number.isInteger(above) || above <= 0)
      throw bad(provider, model);
    base = v[0];
    longContext = Object.freeze({ above, rates: decodeRates(v[2], provider, model) });
  }
  const { input, output, cacheRead, cacheWrite } = decodeRates(base, provider, model);
  return Object.freeze({ input, output, cacheRead, cacheWrite, provider, model, longContext });
}

export class ProviderTable {
  readonly provider: string;
  /** The provider's catalog `default`, present only when it is a real (non-zero) price. */
  readonly fallback: ModelPrice | null;
  private readonly models: JsonObject;
  private readonly decoded = new Map<string, ModelPrice>();
  private lowerCase: Map<string, string> | null = null;

  constructor(provider: string, models: JsonObject, fallback: unknown) {
    this.provider = provider;
    this.models = models;
    this.fallback = fallback === undefined ? null : decodeEntry(provider, "default", fallback);
  }

  /** The entry with exactly this id. */
  get(model: string): ModelPrice | undefined {
    const hit = this.decoded.get(model);
    if (hit || !Object.hasOwn(this.models, model)) return hit;
    const price = decodeEntry(this.provider, model, this.models[model]);
    this.decoded.set(model, price);
    return price;
  }

  /** Case-insensitive: clients send `llama-3.3-70b` where together-ai lists `Llama-3.3-70B`. First spelling wins. */
  getIgnoringCase(model: string): ModelPrice | undefined {
    if (!this.lowerCase) {
      // Built on the first miss only: most traffic is exact ids.
      this.lowerCase = new Map();
      for (const key of Object.keys(this.models)) {
        const lower = key.toLowerCase();
        if (!this.lowerCase.has(lower)) this.lowerCase.set(lower, key);
      }
    }
    const key = this.lowerCase.get(model.toLowerCase());
    return key === undefined ? undefined : this.get(key);
  }

  /** Decodes every entry (tests: proves the whole generated file is well-formed). */
  decodeAll(): number {
    for (const model of Object.keys(this.models)) this.get(model);
    return this.decoded.size;
  }
}

const TABLE_UNITS = "USD per million tokens";

function decodeHeader(v: unknown): PriceHeader {
  if (!isRecord(v)) throw new Error("price table: missing header");
  const field = (k: string): string => {
    const s = v[k];
    if (typeof s !== "string" || s === "") throw new Error(`price table: header.${k} missing`);
    return s;
  };
  // The decoder's scale depends on it: a table written in other units must fail loudly, not misprice.
  if (field("units") !== TABLE_UNITS) throw new Error(`price table: units must be "${TABLE_UNITS}"`);
  return {
    source: field("source"),
    commit: field("commit"),
    date: field("date"),
    license: field("license"),
    units: TABLE_UNITS,
  };
}

export function loadTables(raw: unknown): { header: PriceHeader; tables: ReadonlyMap<string, ProviderTable> } {
  if (!isRecord(raw) || !isRecord(raw.providers) || !isRecord(raw.defaults)) throw new Error("price table: bad shape");
  const tables = new Map<string, ProviderTable>();
  for (const [provider, models] of Object.entries(raw.providers)) {
    if (!isRecord(models)) throw new Error(`price table: bad provider ${provider}`);
    tables.set(provider, new ProviderTable(provider, models, raw.defaults[provider]));
  }
  return { header: decodeHeader(raw.header), tables };
}

const data: unknown = generated;
const loaded = loadTables(data);

/** Source, commit, date, licence and units of the table, for logs and the admin API. */
export const PRICE_TABLE_HEADER: PriceHeader = loaded.header;
export const PRICE_TABLES: ReadonlyMap<string, ProviderTable> = loaded.tables;
