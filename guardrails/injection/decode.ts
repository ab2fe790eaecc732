/**
 * Encoded payloads: base64 or hex blobs whose decoding is readable text. Each maximal blob is decoded once, so the
 * work stays linear; what they decode to is scored like plain text by the caller (one level deep, never recursive).
 */
const MIN_BLOB = 16;

const isBase64Char = (c: number): boolean =>
  (c >= 48 && c <= 57) ||
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  c === 43 ||
  c === 47 ||
  c === 45 ||
  c === 95 ||
  c === 61;
const isHexChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

function blobs(text: string, accept: (c: number) => boolean): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (!accept(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && accept(text.charCodeAt(i))) i++;
    if (i - start >= MIN_BLOB) found.push(text.slice(start, i));
  }
  return found;
}

/** Mostly printable ASCII with some letters and spaces: decoded prose, not random bytes. */
function readable(decoded: string): boolean {
  if (decoded.length === 0) return false;
  let printable = 0;
  let spaces = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9) printable++;
    if (c === 32) spaces++;
  }
  return printable / decoded.length >= 0.95 && spaces > 0;
}

function fromBase64(blob: string): string | undefined {
  const standard = blob.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (standard.length % 4 === 1) return undefined;
  try {
    return atob(standard + "===".slice((standard.length + 3) % 4));
  } catch {
    return undefined;
  }
}

function fromHex(blob: string): string | undefined {
  if (blob.length % 2 !== 0) return undefined;
  let out = "";
  for (let i = 0; i < blob.length; i += 2) out += String.fromCharCode(parseInt(blob.slice(i, i + 2), 16));
  return out;
}

/** The readable texts hidden in base64 or hex blobs of `text`. */
export function decodedPayloads(text: string): string[] {
  const decoded = [...blobs(text, isHexChar).map(fromHex), ...blobs(text, isBase64Char).map(fromBase64)];
  return decoded.filter((d): d is string => d !== undefined && readable(d));
}
