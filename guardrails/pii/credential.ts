import { isAlnum, isDigit, isLower, isUpper } from "./chars";
import type { PiiFinding } from "./types";

/** Base64url characters: the alphabet of every key format below and of JWT parts. */
const isKeyChar = (c: number): boolean => isAlnum(c) || c === 45 || c === 95;
const isRunChar = (c: number): boolean => isKeyChar(c) || c === 46;

interface KeyFormat {
  prefix: string;
  /** Length of the part after the prefix: exact when `max` equals `min`. */
  min: number;
  max: number;
  body: (c: number) => boolean;
  /** Mixed case and digits, as generated keys have: keeps prose like `sk-this-is-not-a-key` out. */
  mixed?: boolean;
}

const upperOrDigit = (c: number): boolean => isUpper(c) || isDigit(c);
const KEY_FORMATS: readonly KeyFormat[] = [
  { prefix: "sk-ant-", min: 20, max: 200, body: isKeyChar, mixed: true }, // Anthropic
  { prefix: "sk-proj-", min: 20, max: 200, body: isKeyChar, mixed: true }, // OpenAI project keys
  { prefix: "sk-", min: 20, max: 200, body: isKeyChar, mixed: true }, // OpenAI
  { prefix: "AIza", min: 35, max: 35, body: isKeyChar }, // Google API keys
  { prefix: "AKIA", min: 16, max: 16, body: upperOrDigit }, // AWS access key ids
  { prefix: "ASIA", min: 16, max: 16, body: upperOrDigit }, // AWS temporary access key ids
  { prefix: "ghp_", min: 36, max: 36, body: isAlnum }, // GitHub personal tokens
  { prefix: "gho_", min: 36, max: 36, body: isAlnum }, // GitHub OAuth tokens
  { prefix: "github_pat_", min: 22, max: 255, body: (c) => isAlnum(c) || c === 95 }, // fine-grained tokens
];

function hasMixedCharacters(body: string): boolean {
  let lower = false;
  let upper = false;
  let digit = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    lower ||= isLower(c);
    upper ||= isUpper(c);
    digit ||= isDigit(c);
  }
  return lower && upper && digit;
}

function isApiKey(token: string): boolean {
  const format = KEY_FORMATS.find((f) => token.startsWith(f.prefix));
  if (!format) return false;
  const body = token.slice(format.prefix.length);
  if (body.length < format.min || body.length > format.max) return false;
  for (let i = 0; i < body.length; i++) if (!format.body(body.charCodeAt(i))) return false;
  return !format.mixed || hasMixedCharacters(body);
}

function decodeBase64Url(part: string): string | undefined {
  try {
    const padded = part.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((part.length + 3) % 4);
    return atob(padded);
  } catch {
    return undefined;
  }
}

/** A JWT: three base64url parts whose first decodes to a JSON object naming its algorithm. */
function isJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[0] || !parts[1] || !token.startsWith("eyJ")) return false;
  const header = decodeBase64Url(parts[0]);
  if (header === undefined) return false;
  try {
    const json: unknown = JSON.parse(header);
    return typeof json === "object" && json !== null && "alg" in json;
  } catch {
    return false;
  }
}

function classifyRun(text: string, start: number, runEnd: number, findings: PiiFinding[]): void {
  // An unsigned JWT (`alg: none`) ends with its empty signature's dot; otherwise a final dot ends a sentence.
  const unsigned = text.slice(start, runEnd);
  if (isJwt(unsigned)) {
    findings.push({ category: "CREDENTIAL", start, end: runEnd });
    return;
  }
  let end = runEnd;
  while (end > start && text.charCodeAt(end - 1) === 46) end--;
  const run = text.slice(start, end);
  if (isJwt(run)) {
    findings.push({ category: "CREDENTIAL", start, end });
    return;
  }
  let pieceStart = start;
  for (const piece of run.split(".")) {
    if (isApiKey(piece)) findings.push({ category: "CREDENTIAL", start: pieceStart, end: pieceStart + piece.length });
    pieceStart += piece.length + 1;
  }
}

/** Provider keys and JWTs: the text is cut once into maximal base64url-and-dot runs, each classified by its shape. */
export function detectCredentials(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isRunChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isRunChar(text.charCodeAt(i))) i++;
    if (i - start >= 20) classifyRun(text, start, i, findings);
  }
  return findings;
}
