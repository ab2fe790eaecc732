// The registry these machines use does not serve workerd's macOS and Windows builds, so `npm install` leaves
// them out of package-lock.json and `npm ci` then calls the lock out of sync. This adds the missing optional
// platform entries beside each linux entry (npm skips them on Linux, so nothing is fetched).
// Run after any `npm install` that rewrites the lock: `node .ci/lock-platforms.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const missing = [
  ["darwin-64", "darwin", "x64"],
  ["darwin-arm64", "darwin", "arm64"],
  ["windows-64", "win32", "x64"],
];
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!key.endsWith("@cloudflare/workerd-linux-64")) continue;
  const prefix = key.slice(0, -"linux-64".length);
  for (const [suffix, os, cpu] of missing) {
    if (lock.packages[prefix + suffix]) continue;
    const { integrity: _unavailable, ...shape } = entry;
    lock.packages[prefix + suffix] = { ...shape, cpu: [cpu], os: [os] };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(path, JSON.stringify(lock, null, 2) + "\n");
console.log(`lock-platforms: added ${added} entries`);
