import type { Usage } from "../../schema/openai-response";
import type { RequestOutcome } from "../context";
import type { Captured } from "./capture";
import { writeEntry, type CacheEntry } from "./entry";
import { writeKeyOnce } from "./key-writes";
import type { SemanticPlan } from "./lookup";
import type { CacheRequest } from "./request";
import { cacheRuntime } from "./runtime";
import type { CacheSettings } from "./settings";

export interface StoreTarget {
  kv: KVNamespace;
  key: string;
  hash: string;
  settings: CacheSettings;
  semantic: SemanticPlan | null;
  /** A REFRESH: its answer must replace the entry even if this isolate wrote the key a moment ago. */
  replace: boolean;
}

/**
 * Runs in waitUntil, after the client has its answer (for streams: after the last byte). Stores only a complete,
 * successful answer (capture() resolves null for anything else), then points the semantic index at it.
 */
export async function storeAnswer(
  captured: Captured,
  request: CacheRequest,
  outcome: RequestOutcome,
  target: StoreTarget,
): Promise<void> {
  const body = await captured.stored;
  if (!body) return;
  // A stream whose client did not ask for usage carried none; the translator still recorded it.
  const usage: Usage | undefined = outcome.answer.usage;
  if (body.usage === undefined && usage) body.usage = usage;
  const now = cacheRuntime.now();
  const entry: CacheEntry = {
    v: 1,
    operation: request.operation,
    provider: request.provider,
    model: typeof body.model === "string" ? body.model : request.model,
    createdAt: now,
    expiresAt: now + target.settings.maxAgeMs,
    body,
  };
  if (usage) entry.usage = usage;
  // Concurrent identical misses in this isolate store one answer between them (KV takes one write per key per second).
  const write = () => writeEntry(target.kv, target.key, entry, target.settings.ttlSeconds);
  if (!(await writeKeyOnce(target.key, write, target.replace))) return;
  if (!target.semantic) return;
  const vector = await target.semantic.vector();
  if (!vector) return;
  await target.semantic.index.add(target.semantic.partition, {
    hash: target.hash,
    vector,
    createdAt: now,
    expiresAt: entry.expiresAt,
  });
}
