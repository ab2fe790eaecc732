import { codeAt, isAlnum, isDigit, isUpper, isWordChar } from "./chars";
import type { PiiFinding } from "./types";

/** IBAN lengths per country (ISO 13616 registry, the common SEPA and non-SEPA countries). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** ISO 7064 mod 97-10: the country and check digits move to the end, letters become 10..35, the rest is 1 mod 97. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    const value = isDigit(c) ? c - 48 : c - 55;
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/**
 * Reads `length` characters from `start`, letters and digits, allowing one space after every fourth character (the
 * printed form `DE89 3704 0044 0532 0130 00`). Returns the compact IBAN and where it ends, or undefined.
 */
function readIban(text: string, start: number, length: number): { iban: string; end: number } | undefined {
  let iban = "";
  let i = start;
  while (iban.length < length && i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 && iban.length % 4 === 0 && iban.length > 0 && isAlnum(codeAt(text, i + 1))) {
      i++;
      continue;
    }
    if (!isDigit(c) && !isUpper(c)) return undefined;
    iban += text.charAt(i);
    i++;
  }
  return iban.length === length && !isWordChar(codeAt(text, i)) ? { iban, end: i } : undefined;
}

/** IBANs: a known country code, its exact length and a valid mod-97 checksum; bounded work per candidate start. */
export function detectIbans(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (let i = 0; i + 4 <= text.length; i++) {
    // Character tests first: the country lookup slices a string, which on every offset was most of the PII
    // detector's CPU (bench/lib/guardrail-checks.mjs).
    const looksLikeStart =
      isUpper(text.charCodeAt(i)) &&
      isUpper(text.charCodeAt(i + 1)) &&
      isDigit(text.charCodeAt(i + 2)) &&
      isDigit(text.charCodeAt(i + 3));
    if (!looksLikeStart || isWordChar(codeAt(text, i - 1))) continue;
    const length = IBAN_LENGTHS[text.slice(i, i + 2)];
    if (length === undefined) continue;
    const read = readIban(text, i, length);
    if (!read || !ibanChecksumValid(read.iban)) continue;
    findings.push({ category: "IBAN", start: i, end: read.end });
    i = read.end - 1;
  }
  return findings;
}
