/** Test helpers shared by the semantic-cache tests: a deterministic fake embedding and plain cosine similarity. */

/** Character trigrams of the normalised text, hashed into `dims` dimensions: near-identical wording scores near 1. */
export function fakeEmbedding(text: string, dims = 256): number[] {
  const t = ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, "")
    .replace(/\s+/g, " ")
    .trim()} `;
  const v = new Array<number>(dims).fill(0);
  for (let i = 0; i + 3 <= t.length; i++) {
    let h = 2166136261;
    for (const ch of t.slice(i, i + 3)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    v[h % dims] = (v[h % dims] ?? 0) + 1;
  }
  return v;
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return dot / Math.sqrt(na * nb);
}
