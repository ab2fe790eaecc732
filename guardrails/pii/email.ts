import { codeAt, isAlnum, isLetter } from "./chars";
import type { PiiFinding } from "./types";

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
/** Image and asset names like `icon@2x.png` look like addresses; no real address ends in these. */
const FILE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "css", "js", "ts", "json"]);

const isLocalChar = (c: number): boolean => isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
const isDomainChar = (c: number): boolean => isAlnum(c) || c === 46 || c === 45;

/** Scans left from the `@` over local-part characters (bounded). */
function localStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && at - start < MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--;
  return start;
}

/** Scans right from the `@` over domain characters (bounded), trimming a sentence's final dot or dash. */
function domainEnd(text: string, at: number): number {
  let end = at + 1;
  while (end < text.length && end - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(end))) end++;
  while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
  return end;
}

function isValidDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2 || labels.some((label) => label.length === 0 || label.length > 63)) return false;
  if (labels.some((label) => label.startsWith("-") || label.endsWith("-"))) return false;
  const tld = labels[labels.length - 1] ?? "";
  if (tld.length < 2 || ![...tld].every((ch) => isLetter(ch.charCodeAt(0)))) return false;
  return !FILE_EXTENSIONS.has(tld.toLowerCase());
}

/** Email addresses: each `@` is examined once, with bounded scans either side, so the cost is linear. */
export function detectEmails(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  let at = text.indexOf("@");
  while (at !== -1) {
    const rawStart = localStart(text, at);
    let start = rawStart;
    while (start < at && text.charCodeAt(start) === 46) start++; // "see:.a@b.com" starts at "a"
    const end = domainEnd(text, at);
    const local = text.slice(start, at);
    // A bounded scan that stopped on a letter or digit means a longer token: not an address on its own.
    const glued = isAlnum(codeAt(text, rawStart - 1)) || isAlnum(codeAt(text, end));
    if (
      local.length > 0 &&
      !local.endsWith(".") &&
      !local.includes("..") &&
      !glued &&
      isValidDomain(text.slice(at + 1, end))
    ) {
      findings.push({ category: "EMAIL_ADDRESS", start, end });
    }
    at = text.indexOf("@", Math.max(at + 1, end));
  }
  return findings;
}
