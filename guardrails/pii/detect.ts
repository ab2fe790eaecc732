import { detectCreditCards } from "./card";
import { detectCredentials } from "./credential";
import { detectEmails } from "./email";
import { detectIbans } from "./iban";
import { detectIpAddresses } from "./ip";
import { numberClusters } from "./numbers";
import { detectPhoneNumbers } from "./phone";
import { detectSsns } from "./ssn";
import { PII_CATEGORIES, type PiiCategory, type PiiDetector, type PiiFinding } from "./types";

const DETECTORS: Readonly<Record<PiiCategory, PiiDetector>> = {
  EMAIL_ADDRESS: detectEmails,
  PHONE_NUMBER: detectPhoneNumbers,
  CREDIT_CARD: detectCreditCards,
  IBAN: detectIbans,
  SSN: detectSsns,
  IP_ADDRESS: detectIpAddresses,
  CREDENTIAL: detectCredentials,
};

/**
 * When two findings overlap the more specific one wins: a checksum or a fixed prefix (credential, IBAN, card) says
 * more than a shape (phone, IP). Lower index = higher priority.
 */
const PRIORITY: readonly PiiCategory[] = [
  "CREDENTIAL",
  "EMAIL_ADDRESS",
  "IBAN",
  "CREDIT_CARD",
  "SSN",
  "IP_ADDRESS",
  "PHONE_NUMBER",
];
const rank = (finding: PiiFinding): number => PRIORITY.indexOf(finding.category);

/** Sorted by start; of overlapping findings only the highest-priority one stays (one sweep after the sort). */
function withoutOverlaps(findings: PiiFinding[]): PiiFinding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || rank(a) - rank(b));
  const kept: PiiFinding[] = [];
  for (const finding of sorted) {
    const last = kept[kept.length - 1];
    if (!last || finding.start >= last.end) kept.push(finding);
    else if (rank(finding) < rank(last)) kept[kept.length - 1] = finding;
  }
  return kept;
}

/** Every finding of the chosen categories (all by default), in text order, without overlaps. */
export function detectPii(text: string, categories: readonly PiiCategory[] = PII_CATEGORIES): PiiFinding[] {
  // Cards, SSNs and phone numbers all read the digit clusters: cut them once, not three times.
  const clusters = numberClusters(text);
  return withoutOverlaps(categories.flatMap((category) => DETECTORS[category](text, clusters)));
}

/** Counts per category: what hook results and logs may carry (never the matched values). */
export function countByCategory(findings: readonly PiiFinding[]): Partial<Record<PiiCategory, number>> {
  const counts: Partial<Record<PiiCategory, number>> = {};
  for (const finding of findings) counts[finding.category] = (counts[finding.category] ?? 0) + 1;
  return counts;
}
