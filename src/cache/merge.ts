/**
 * How streamed pieces add up to the non-streamed answer, following the openai SDK's own accumulator
 * (ChatCompletionStream), which is what clients do with the same chunks: text arrives in pieces and is joined,
 * arrays (annotations) arrive in batches and are appended, objects (audio, function_call) merge field by field.
 */

export type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Fields of object deltas whose text arrives in pieces; the others (ids, expiry times, names) arrive whole. */
const PIECEWISE: Record<string, ReadonlySet<string>> = {
  audio: new Set(["data", "transcript"]),
  function_call: new Set(["arguments"]),
};

function mergeObject(before: Fields, value: Fields, piecewise: ReadonlySet<string> | undefined): Fields {
  const out: Fields = { ...before };
  for (const [key, piece] of Object.entries(value)) {
    if (piece === null || piece === undefined) continue;
    const prior = out[key];
    out[key] = piecewise?.has(key) && typeof piece === "string" && typeof prior === "string" ? prior + piece : piece;
  }
  return out;
}

/**
 * One field of a message delta into the message so far. `null` (OpenAI opens with `content: ""`, `refusal: null`)
 * is kept only until a value arrives, so the assembled message has the field as the non-streamed one would.
 */
export function mergeDeltaField(message: Fields, key: string, value: unknown): void {
  if (value === undefined) return;
  const before = message[key];
  if (value === null) {
    if (!(key in message)) message[key] = null;
  } else if (typeof value === "string") {
    message[key] = key !== "role" && typeof before === "string" ? before + value : value;
  } else if (Array.isArray(value)) {
    message[key] = Array.isArray(before) ? [...before, ...value] : [...value];
  } else if (isFields(value)) {
    message[key] = mergeObject(isFields(before) ? before : {}, value, PIECEWISE[key]);
  } else {
    message[key] = value;
  }
}

/** Chunk- or choice-level fields (service_tier, system_fingerprint, ...) are repeated, not pieces: the last value stands. */
export function mergeRepeatedField(target: Fields, key: string, value: unknown): void {
  if (value === undefined) return;
  if (value !== null || !(key in target)) target[key] = value;
}

export interface Logprobs extends Fields {
  content: unknown[] | null;
  refusal: unknown[] | null;
}

interface LogprobsPiece extends Fields {
  content?: unknown[] | null;
  refusal?: unknown[] | null;
}

/** Token logprobs of content and refusal are appended; a list no chunk carried stays null, as in the non-streamed body. */
export function mergeLogprobs(acc: Logprobs | null, piece: LogprobsPiece | null | undefined): Logprobs | null {
  if (!piece) return acc;
  const { content, refusal, ...rest } = piece;
  const out: Logprobs = acc ?? { content: null, refusal: null };
  Object.assign(out, rest);
  if (content) out.content = [...(out.content ?? []), ...content];
  if (refusal) out.refusal = [...(out.refusal ?? []), ...refusal];
  return out;
}
