import { endsClean, numberClusters, startsClean, type NumberCluster } from "./numbers";
import type { PiiFinding } from "./types";

const sameSeparators = (separators: string[]): boolean => separators.every((s) => s === separators[0]);

/** `+44 20 7946 0958`, `+1 (555) 123-4567`, `+491701234567`: a `+`, then 8 to 15 digits (E.164). Longest wins. */
function internationalEndingAt(cluster: NumberCluster, i: number): number {
  if (i !== 0 || !cluster.lead.includes("+")) return -1;
  let best = -1;
  let count = 0; // digits of groups 0..j, counted as j grows (no string built per step)
  for (let j = 0; j < cluster.groups.length && j < 8; j++) {
    count += cluster.groups[j]?.digits.length ?? 0;
    if (count > 15) break;
    if (count >= 8 && endsClean(cluster, j)) best = j;
  }
  return best;
}

const NANP_FIRST_SEPARATORS = new Set(["-", ".", " ", ") ", ")", ")-"]);
const NANP_SECOND_SEPARATORS = new Set(["-", ".", " "]);
const nanpCode = (digits: string | undefined): boolean =>
  digits !== undefined && digits.length === 3 && digits[0] !== "0" && digits[0] !== "1";

/** North American numbers: `(555) 234-5678`, `555.234.5678`, `1-555-234-5678`; area and exchange start with 2-9. */
function northAmericanEndingAt(cluster: NumberCluster, i: number): number {
  const country = cluster.groups[i]?.digits === "1" ? 1 : 0;
  const at = i + country;
  // Read in place: a slice and a map per group were a large part of the detector's CPU on digit-heavy text.
  const area = cluster.groups[at]?.digits;
  const exchange = cluster.groups[at + 1]?.digits;
  const line = cluster.groups[at + 2]?.digits;
  if (!nanpCode(area) || !nanpCode(exchange) || line?.length !== 4) return -1;
  const first = cluster.separators[at] ?? "";
  const second = cluster.separators[at + 1] ?? "";
  if (!NANP_FIRST_SEPARATORS.has(first) || !NANP_SECOND_SEPARATORS.has(second)) return -1;
  if (first.includes(")") !== (cluster.lead.includes("(") || (cluster.separators[at - 1] ?? "").includes("(")))
    return -1;
  return endsClean(cluster, at + 2) ? at + 2 : -1;
}

/** National numbers with a trunk 0: `020 7946 0958`, `07700 900123`, `01 23 45 67 89`: 10-11 digits, one separator kind. */
function trunkEndingAt(cluster: NumberCluster, i: number): number {
  const first = cluster.groups[i]?.digits ?? "";
  if (!first.startsWith("0") || first.startsWith("00") || first.length < 2 || first.length > 5) return -1;
  let count = first.length;
  for (let j = i + 1; j < cluster.groups.length && j - i < 5; j++) {
    count += cluster.groups[j]?.digits.length ?? 0;
    if (count > 11) break;
    const separators = cluster.separators.slice(i, j);
    const kindOk = sameSeparators(separators) && [" ", "-", "."].includes(separators[0] ?? "");
    const shortGroup = cluster.groups.slice(i, j + 1).some((g) => g.digits.length < 2);
    if (count >= 10 && kindOk && !shortGroup && endsClean(cluster, j)) return j;
  }
  return -1;
}

/** The first format that matches from group `i` (tried in this order, and only until one does), or -1. */
function phoneEndingAt(cluster: NumberCluster, i: number): number {
  const international = internationalEndingAt(cluster, i);
  if (international >= 0) return international;
  const northAmerican = northAmericanEndingAt(cluster, i);
  return northAmerican >= 0 ? northAmerican : trunkEndingAt(cluster, i);
}

/** Phone numbers in international and common national formats; dates, versions and bare digit runs are left alone. */
export function detectPhoneNumbers(text: string, clusters = numberClusters(text)): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const cluster of clusters) {
    for (let i = 0; i < cluster.groups.length; i++) {
      if (!startsClean(cluster, i)) continue;
      const last = phoneEndingAt(cluster, i);
      const first = cluster.groups[i];
      const end = cluster.groups[last];
      if (last < 0 || !first || !end) continue;
      findings.push({ category: "PHONE_NUMBER", start: i === 0 ? cluster.leadStart : first.start, end: end.end });
      i = last;
    }
  }
  return findings;
}
