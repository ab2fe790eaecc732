import { sha256Hex } from "./canonical";

/**
 * KV key layout (docs/cache.md, docs/storage.md). Namespace and model come first so that one prefix lists everything an admin
 * invalidates together (`rc1:<ns>:` a namespace, `rc1:<ns>:<model>:` a model in it):
 *
 *   rc1:<namespace>:<model>:<scope>:<request hash>   one response (exact entry)
 *   sx1:<namespace>:<model>:<scope>:<context hash>   one semantic bucket (vectors pointing at exact entries)
 *   cs1:<namespace>:<day>:<isolate>                  one stats shard (counters in the key's metadata)
 *
 * Segments are percent-encoded (so a ":" in a model name cannot shift the fields); one longer than
 * MAX_SEGMENT is replaced by `%FF` + a hash, which encodeURIComponent never produces, to stay far below KV's
 * 512-byte key limit.
 */
export const ENTRY_PREFIX = "rc1:";
export const BUCKET_PREFIX = "sx1:";
export const STATS_PREFIX = "cs1:";

const MAX_SEGMENT = 96;

export async function segment(value: string): Promise<string> {
  const encoded = encodeURIComponent(value);
  return encoded.length <= MAX_SEGMENT ? encoded : `%FF${(await sha256Hex(value)).slice(0, 32)}`;
}

export function decodeSegment(value: string): string {
  if (value.startsWith("%FF")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Where one request's entries live: everything but the final hash. */
export interface Partition {
  namespace: string;
  model: string;
  scope: string;
}

export async function partitionPrefix(
  kind: typeof ENTRY_PREFIX | typeof BUCKET_PREFIX,
  partition: Partition,
): Promise<string> {
  const [ns, model] = await Promise.all([segment(partition.namespace), segment(partition.model)]);
  return `${kind}${ns}:${model}:${partition.scope}:`;
}

const ENTRY_KEY = /^rc1:([^:]+):([^:]+):([0-9a-f]{32}):([0-9a-f]{64})$/;

/** An entry key as admins pass it back (from logs: outcome.cache.key), or null when it is not one. */
export function parseEntryKey(key: string): { namespace: string; model: string; hash: string } | null {
  const match = ENTRY_KEY.exec(key);
  if (!match) return null;
  const [, ns = "", model = "", , hash = ""] = match;
  return { namespace: decodeSegment(ns), model: decodeSegment(model), hash };
}
