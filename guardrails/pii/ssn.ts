import { endsClean, numberClusters, startsClean, type NumberCluster } from "./numbers";
import type { PiiFinding } from "./types";

/** SSA rules: no area 000, 666 or 900-999 (ITINs and never-issued), no group 00, no serial 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return areaNumber !== 0 && areaNumber !== 666 && areaNumber < 900 && group !== "00" && serial !== "0000";
}

/** Nine bare digits are an SSN only when the text just before names one (an order number otherwise). */
function namedJustBefore(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 32), start).toLowerCase();
  return before.includes("ssn") || before.includes("social security");
}

/** The index of the last group of an SSN starting at group `i`, or -1. */
function ssnEndingAt(text: string, cluster: NumberCluster, i: number): number {
  // Read in place, not sliced: this runs for every digit group of the text.
  const a = cluster.groups[i];
  const g = cluster.groups[i + 1];
  const s = cluster.groups[i + 2];
  if (a && a.digits.length === 9 && endsClean(cluster, i) && namedJustBefore(text, a.start)) {
    return ssnValid(a.digits.slice(0, 3), a.digits.slice(3, 5), a.digits.slice(5)) ? i : -1;
  }
  if (!a || !g || !s || a.digits.length !== 3 || g.digits.length !== 2 || s.digits.length !== 4) return -1;
  const first = cluster.separators[i];
  const second = cluster.separators[i + 1];
  if (first !== second || (first !== "-" && first !== " ")) return -1;
  return endsClean(cluster, i + 2) && ssnValid(a.digits, g.digits, s.digits) ? i + 2 : -1;
}

/** US Social Security numbers: `AAA-GG-SSSS` (dashes or spaces), or nine digits right after "SSN". */
export function detectSsns(text: string, clusters = numberClusters(text)): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const cluster of clusters) {
    for (let i = 0; i < cluster.groups.length; i++) {
      if (!startsClean(cluster, i)) continue;
      const last = ssnEndingAt(text, cluster, i);
      const first = cluster.groups[i];
      const end = cluster.groups[last];
      if (last < 0 || !first || !end) continue;
      findings.push({ category: "SSN", start: first.start, end: end.end });
      i = last;
    }
  }
  return findings;
}
