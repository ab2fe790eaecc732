import { endsClean, numberClusters, startsClean, type NumberCluster } from "./numbers";
import type { PiiFinding } from "./types";

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const between = (digits: string, size: number, low: number, high: number): boolean => {
  const prefix = Number(digits.slice(0, size));
  return prefix >= low && prefix <= high;
};

/** Issuer prefixes and lengths of the major networks: a Luhn-valid order number without one is not a card. */
function knownIssuer(d: string): boolean {
  const n = d.length;
  if (d.startsWith("4")) return n === 13 || n === 16 || n === 19; // Visa
  if (between(d, 2, 51, 55) || between(d, 4, 2221, 2720)) return n === 16; // Mastercard
  if (d.startsWith("34") || d.startsWith("37")) return n === 15; // American Express
  if (d.startsWith("6011") || d.startsWith("65") || between(d, 3, 644, 649) || d.startsWith("62")) return n >= 16; // Discover, UnionPay
  if (between(d, 4, 3528, 3589)) return n >= 16; // JCB
  if (between(d, 3, 300, 305) || d.startsWith("36") || d.startsWith("38") || d.startsWith("39")) return n >= 14; // Diners
  return false;
}

/** Grouped as printed on cards: 4-4-4-4(-1..3), Amex 4-6-5, Diners 4-6-4, with one kind of separator. */
function printedShape(cluster: NumberCluster, i: number, j: number): boolean {
  if (i === j) return true;
  const separators = cluster.separators.slice(i, j);
  if (!separators.every((s) => s === separators[0] && (s === " " || s === "-"))) return false;
  const lengths = cluster.groups.slice(i, j + 1).map((g) => g.digits.length);
  const shape = lengths.join("-");
  if (shape === "4-6-5" || shape === "4-6-4") return true;
  return lengths.every((length, k) => (k < lengths.length - 1 ? length === 4 : length >= 1 && length <= 4));
}

/** The longest valid card number starting at group `i`, as the index of its last group. */
function cardEndingAt(cluster: NumberCluster, i: number): number {
  let best = -1;
  // Grown one group at a time: rebuilding groups i..j for every j was most of the detector's allocations.
  let digits = "";
  for (let j = i; j < cluster.groups.length && j - i < 5; j++) {
    digits += cluster.groups[j]?.digits ?? "";
    if (digits.length > 19) break;
    const valid = digits.length >= 13 && printedShape(cluster, i, j) && knownIssuer(digits) && luhnValid(digits);
    if (valid && endsClean(cluster, j)) best = j;
  }
  return best;
}

/** Payment card numbers: 13-19 digits, contiguous or grouped, a known issuer prefix and a valid Luhn checksum. */
export function detectCreditCards(text: string, clusters = numberClusters(text)): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const cluster of clusters) {
    for (let i = 0; i < cluster.groups.length; i++) {
      if (!startsClean(cluster, i)) continue;
      const last = cardEndingAt(cluster, i);
      const first = cluster.groups[i];
      const end = cluster.groups[last];
      if (last < 0 || !first || !end) continue;
      findings.push({ category: "CREDIT_CARD", start: first.start, end: end.end });
      i = last;
    }
  }
  return findings;
}
