/**
 * Vectors as the KV semantic index keeps them: L2-normalised, then quantised to int8 and base64-encoded. Each
 * vector is scaled so its largest component maps to ±127 (cosine ignores scale, so the factor need not be kept):
 * a fixed x*127 would leave the components of a 1536-dimension unit vector (around ±0.03) only a few steps, and
 * bias every similarity down by ~0.004, enough to flip a match at the threshold. Scaled per vector the error is
 * about ten times smaller. 1536 dimensions take 2 KB instead of 8 KB as float32 base64, so a full bucket of 64
 * stays near 130 KB.
 */

export function normalise(values: readonly number[]): Float32Array | null {
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm);
  if (!Number.isFinite(norm) || norm === 0) return null;
  return Float32Array.from(values, (value) => value / norm);
}

export function quantise(vector: Float32Array): Int8Array {
  let peak = 0;
  for (const value of vector) peak = Math.max(peak, Math.abs(value));
  const scale = peak === 0 ? 0 : 127 / peak;
  return Int8Array.from(vector, (value) => Math.max(-127, Math.min(127, Math.round(value * scale))));
}

export function toBase64(vector: Int8Array): string {
  let binary = "";
  const bytes = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Int8Array | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Int8Array(bytes.buffer);
  } catch {
    return null;
  }
}

/** Cosine similarity of a unit query vector and a stored quantised one (-1..1; -2 when they cannot compare). */
export function similarity(query: Float32Array, stored: Int8Array): number {
  if (query.length !== stored.length) return -2;
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < query.length; i++) {
    const s = stored[i] ?? 0;
    dot += (query[i] ?? 0) * s;
    norm += s * s;
  }
  return norm === 0 ? -2 : dot / Math.sqrt(norm);
}
