// Types for transform.mjs (plain Node ESM so `npm run prices` needs no build step; tsconfig has allowJs off).

/** [input, output, cacheRead?, cacheWrite?] in USD per million tokens; null: the catalog does not list that rate. */
export type RatesJson = [number, number, ...(number | null)[]];
/** A plain entry, or [[base rates], prompt tokens above which the long rates apply, [long rates]]. */
export type EntryJson = RatesJson | [RatesJson, number, RatesJson];

export interface PriceTableJson {
  header: { source: string; commit: string; date: string; license: string; units: string };
  defaults: Record<string, RatesJson>;
  providers: Record<string, Record<string, EntryJson>>;
}

export interface BuildReport {
  models: number;
  droppedNoTokenPrice: string[];
  foldedTierNames: string[];
}

/** The catalog's per-model shape, as far as the transform reads it. */
export type CatalogJson = Record<string, unknown>;

export const CATALOG_HEADER: Readonly<PriceTableJson["header"]>;
export const PROVIDER_SOURCES: Readonly<Record<string, string>>;
export function centsToUsdPerMillion(cents: number): number;
export function buildPriceTable(
  catalogs: Record<string, CatalogJson>,
  header?: PriceTableJson["header"],
): { table: PriceTableJson; report: BuildReport };
export function serializeTable(table: PriceTableJson): string;
