import { codeAt, isDigit, isHex, isWordChar } from "./chars";
import type { PiiFinding } from "./types";

function isIpv4(candidate: string): boolean {
  const parts = candidate.split(".");
  if (parts.length !== 4) return false;
  return parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

/** Groups of 1-4 hex digits: eight, or fewer with one `::`; an IPv4 tail counts as two groups. */
function ipv6Groups(candidate: string): string[] | undefined {
  const halves = candidate.split("::");
  if (halves.length > 2) return undefined;
  const split = (half: string) => (half === "" ? [] : half.split(":"));
  const groups = halves.flatMap(split);
  const last = groups[groups.length - 1];
  const v4Tail = last !== undefined && last.includes(".");
  if (v4Tail && !isIpv4(last)) return undefined;
  const hexGroups = v4Tail ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  const count = hexGroups.length + (v4Tail ? 2 : 0);
  const compressed = halves.length === 2;
  return (compressed ? count <= 7 : count === 8) ? groups : undefined;
}

/**
 * A valid IPv6 address that also looks like one: `a::b` (Haskell, C++ scopes) parses, so a compressed address needs
 * three groups or one of three or more hex digits (`fe80::1`), or is the loopback `::1`.
 */
function isIpv6(candidate: string): boolean {
  const groups = ipv6Groups(candidate);
  if (!groups) return false;
  if (!candidate.includes("::")) return true;
  return candidate === "::1" || groups.length >= 3 || groups.some((g) => g.length >= 3);
}

const isV4Char = (c: number): boolean => isDigit(c) || c === 46;
const isV6Char = (c: number): boolean => isHex(c) || c === 58 || c === 46;

/** Maximal runs of `accept` characters, trimmed of a final dot, not glued to a word. */
function runs(text: string, accept: (c: number) => boolean, visit: (start: number, end: number) => void): void {
  let i = 0;
  while (i < text.length) {
    if (!accept(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && accept(text.charCodeAt(i))) i++;
    let end = i;
    while (end > start && text.charCodeAt(end - 1) === 46) end--; // a sentence's final dot
    if (!isWordChar(codeAt(text, start - 1)) && !isWordChar(codeAt(text, i)) && end > start) visit(start, end);
  }
}

/** How many times `code` occurs in text[start, end): lets a plain number or word skip the slice and the parse. */
function countOf(text: string, code: number, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) n++;
  return n;
}

/** IPv4 (valid octets, no leading zeros) and IPv6 addresses, found in one linear pass each. */
export function detectIpAddresses(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  runs(text, isV4Char, (start, end) => {
    if (countOf(text, 46, start, end) !== 3) return; // not dotted-quad shaped
    if (codeAt(text, start - 1) !== 58 && isIpv4(text.slice(start, end)))
      findings.push({ category: "IP_ADDRESS", start, end });
  });
  runs(text, isV6Char, (start, end) => {
    // "at fe80::1:" ends a sentence with a colon; "fe80::" keeps its compression.
    if (countOf(text, 58, start, end) === 0) return; // hex words and plain numbers: no colon, no address
    const trimmed = text.endsWith(":", end) && !text.endsWith("::", end) ? end - 1 : end;
    const candidate = text.slice(start, trimmed);
    if (candidate.includes(":") && isIpv6(candidate)) findings.push({ category: "IP_ADDRESS", start, end: trimmed });
  });
  return findings;
}
