import type { NumberCluster } from "./numbers";

/**
 * What the PII detectors find. A finding is a span of the scanned text; its value is read from the text only when a
 * placeholder is made, and never leaves the check (hook results carry categories and counts only).
 */
export const PII_CATEGORIES = [
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "CREDIT_CARD",
  "IBAN",
  "SSN",
  "IP_ADDRESS",
  "CREDENTIAL",
] as const;

export type PiiCategory = (typeof PII_CATEGORIES)[number];

export interface PiiFinding {
  category: PiiCategory;
  /** Offsets in UTF-16 code units, end exclusive. */
  start: number;
  end: number;
}

/**
 * One detector per category: a linear scan of the whole text. `clusters` are the text's digit clusters
 * (pii/numbers.ts), cut once by detectPii for the card, SSN and phone detectors; they cut their own without it.
 */
export type PiiDetector = (text: string, clusters?: NumberCluster[]) => PiiFinding[];
