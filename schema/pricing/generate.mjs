#!/usr/bin/env node
// Regenerates schema/pricing/prices.generated.json (and the licence copy beside it) from the model catalog.
//   npm run prices                      write the table
//   npm run prices -- --check           exit 1 if the committed table differs from what the catalog gives
//   npm run prices -- --catalog <dir>   the catalog snapshot to read (or MODEL_CATALOG_DIR); required
// Runs at development time only: the Worker imports the generated JSON and never reads the catalog.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { PROVIDER_SOURCES, buildPriceTable, serializeTable } from "./transform.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes("--check");
const catalogArg = args.indexOf("--catalog");
const catalogSource = catalogArg >= 0 ? args[catalogArg + 1] : process.env.MODEL_CATALOG_DIR;
if (!catalogSource) {
  console.error(
    "prices: say where the model catalog is: --catalog <dir> or MODEL_CATALOG_DIR (a checkout of the MIT catalog)",
  );
  process.exit(2);
}
const catalogDir = resolve(catalogSource);
const tablePath = join(here, "prices.generated.json");
const licencePath = join(here, "LICENSE-model-catalog");

const catalogs = {};
for (const [provider, stem] of Object.entries(PROVIDER_SOURCES)) {
  const file = join(catalogDir, "pricing", `${stem}.json`);
  if (!existsSync(file)) throw new Error(`missing catalog file for ${provider}: ${file}`);
  catalogs[provider] = JSON.parse(readFileSync(file, "utf8"));
}
const { table, report } = buildPriceTable(catalogs);
const text = serializeTable(table);
const licence = readFileSync(join(catalogDir, "LICENSE"), "utf8");

if (check) {
  const stale = [
    [tablePath, text],
    [licencePath, licence],
  ].filter(([path, want]) => !existsSync(path) || readFileSync(path, "utf8") !== want);
  for (const [path] of stale) console.error(`out of date: ${path} (run npm run prices)`);
  process.exit(stale.length ? 1 : 0);
}

writeFileSync(tablePath, text);
writeFileSync(licencePath, licence);
const gz = gzipSync(text, { level: 9 }).length;
console.log(`wrote ${tablePath}: ${report.models} models, ${text.length} bytes, ${gz} bytes gzipped`);
console.log(`left out (no per-token price): ${report.droppedNoTokenPrice.length}`);
console.log(`folded into long-context tiers: ${report.foldedTierNames.length} -lte/-gt names`);
if (args.includes("--verbose")) console.log(JSON.stringify(report, null, 2));
