import { BUCKET_PREFIX, ENTRY_PREFIX, parseEntryKey, segment } from "./keys";

/**
 * Admin invalidation over KV's own key listing (the key layout is the index: see keys.ts), so no extra index has
 * to be written on the hot path or kept consistent under concurrent writes. One call does bounded work (a few
 * list pages, their deletes) and returns a cursor to continue with; KV's listing is eventually consistent, so a
 * key written in the last minute may be missed (it expires on its own, or a second call catches it).
 */
export const PAGE_SIZE = 200;
const PAGES_PER_CALL = 4;
const DELETE_CONCURRENCY = 50;

/**
 * `model` matches the model segment of the keys: the model the gateway sent (the body's `model` after the target's
 * override_params), not the one the provider reported in its answer. An alias (`gpt-4o-mini`) is invalidated by
 * the alias, never by the dated model it resolved to; the provider's name is only in the stored value, which a
 * listing cannot see.
 */
export type InvalidateRequest = { key: string } | { namespace?: string; model?: string };

export interface InvalidateResult {
  deleted: number;
  /** Pass it back to continue; null when everything matching was visited. */
  cursor: string | null;
}

interface Phase {
  prefix: string;
  /** Model segment every key must have (model without namespace: filter while listing). */
  model?: string;
}

async function phasesFor(request: { namespace?: string; model?: string }): Promise<Phase[]> {
  const model = request.model === undefined ? undefined : await segment(request.model);
  if (request.namespace === undefined) return [ENTRY_PREFIX, BUCKET_PREFIX].map((prefix) => ({ prefix, model }));
  const ns = await segment(request.namespace);
  const tail = model === undefined ? `${ns}:` : `${ns}:${model}:`;
  return [{ prefix: ENTRY_PREFIX + tail }, { prefix: BUCKET_PREFIX + tail }];
}

/** Cursor: `<phase>.<KV's own cursor>` (which prefix we are in, and where in it). Anything unreadable restarts. */
function decodeCursor(cursor: string | undefined): { phase: number; kv: string | undefined } {
  if (!cursor) return { phase: 0, kv: undefined };
  const dot = cursor.indexOf(".");
  const phase = Number(cursor.slice(0, dot));
  return Number.isInteger(phase) && phase >= 0
    ? { phase, kv: cursor.slice(dot + 1) || undefined }
    : { phase: 0, kv: undefined };
}

async function deleteAll(kv: KVNamespace, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
    await Promise.all(keys.slice(i, i + DELETE_CONCURRENCY).map((key) => kv.delete(key)));
  }
}

export async function invalidate(
  kv: KVNamespace,
  request: InvalidateRequest,
  cursor?: string,
): Promise<InvalidateResult | null> {
  if ("key" in request) {
    if (!parseEntryKey(request.key)) return null;
    const existed =
      (await kv.get(request.key, "stream").then((body) => body?.cancel().then(() => true) ?? false)) === true;
    await kv.delete(request.key);
    return { deleted: existed ? 1 : 0, cursor: null };
  }
  const phases = await phasesFor(request);
  let { phase, kv: kvCursor } = decodeCursor(cursor);
  let deleted = 0;
  for (let page = 0; page < PAGES_PER_CALL && phase < phases.length; page++) {
    const current = phases[phase];
    if (!current) break;
    const listed = await kv.list({ prefix: current.prefix, cursor: kvCursor, limit: PAGE_SIZE });
    const names = listed.keys
      .map((key) => key.name)
      .filter(
        (name) => current.model === undefined || name.slice(current.prefix.length).split(":")[1] === current.model,
      );
    await deleteAll(kv, names);
    deleted += names.length;
    if (listed.list_complete) {
      phase++;
      kvCursor = undefined;
    } else {
      kvCursor = listed.cursor;
    }
  }
  return { deleted, cursor: phase < phases.length ? `${phase}.${kvCursor ?? ""}` : null };
}
