import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { expect, vi } from "vitest";
import { fakeEmbedding } from "../unit/cache-fake-embedding";
import { gateway, upstream } from "./harness";

/** Shared by the cache integration tests: a counted fake OpenAI, cached calls, and a look into the KV namespace. */

export const CHAT_URL = "https://api.openai.com/v1/chat/completions";
export const EMBEDDINGS_URL = "https://api.openai.com/v1/embeddings";

let counter = 0;
/** A word unique to one test: storage is shared by the tests of a file, prompts must not collide. */
export function uniq(prefix = "t"): string {
  counter += 1;
  return `${prefix}${counter}x${crypto.randomUUID().slice(0, 6)}`;
}

export const usage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };

export function completion(content: string, extra: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-cached",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      { index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" },
    ],
    usage,
    system_fingerprint: "fp_cache",
    ...extra,
  };
}

export interface Served {
  readonly calls: number;
  bodies: Record<string, unknown>[];
}

/** The fake OpenAI chat endpoint: `reply(call)` answers the n-th call (0-based). */
export function serveChat(reply: (call: number, body: Record<string, unknown>) => Response): Served {
  const bodies: Record<string, unknown>[] = [];
  upstream.use(
    http.post(CHAT_URL, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return reply(bodies.length - 1, body);
    }),
  );
  return {
    get calls() {
      return bodies.length;
    },
    bodies,
  };
}

export const json = (value: unknown, status = 200) => HttpResponse.json(value as Record<string, unknown>, { status });

export const sse = (text: string | ReadableStream<Uint8Array>) =>
  new HttpResponse(text, { headers: { "content-type": "text/event-stream" } });

export interface CachedCall {
  body: Record<string, unknown>;
  cache?: Record<string, unknown> | null;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A chat request through an inline config with `cache` on the OpenAI target (null: no cache config). */
export function cachedCall({
  body,
  cache = { mode: "simple", max_age: 600 },
  apiKey = "sk-tenant-a",
  headers = {},
}: CachedCall) {
  const config: Record<string, unknown> = { provider: "openai", api_key: apiKey };
  if (cache) config.cache = cache;
  return gateway({ headers: { "x-portkey-config": JSON.stringify(config), ...headers }, body });
}

export const chatBody = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content },
  ],
  ...extra,
});

export async function keysWith(prefix: string): Promise<string[]> {
  const listed = await env.CACHE.list({ prefix });
  return listed.keys.map((key) => key.name);
}

/** Wait for the background write (waitUntil) of `count` entries whose key contains `marker` (or any). */
export async function waitForEntries(count: number, prefix = "rc1:"): Promise<string[]> {
  let names: string[] = [];
  await vi.waitFor(
    async () => {
      names = await keysWith(prefix);
      expect(names.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 5_000, interval: 20 },
  );
  return names;
}

export const status = (res: Response) => res.headers.get("x-portkey-cache-status");

/** The first choice's message content of a chat completion response. */
export const contentOf = async (res: Response) =>
  ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;

export interface Embeddings {
  inputs: string[];
  keys: (string | null)[];
}

/** The fake OpenAI embeddings endpoint (fakeEmbedding vectors); `fail` answers 503, `hang` never answers. */
export function serveEmbeddings(options: { fail?: boolean; hang?: boolean } = {}): Embeddings {
  const seen: Embeddings = { inputs: [], keys: [] };
  upstream.use(
    http.post(EMBEDDINGS_URL, async ({ request }) => {
      const body = (await request.json()) as { input: string; model: string };
      seen.inputs.push(body.input);
      seen.keys.push(request.headers.get("authorization"));
      if (options.hang) await new Promise<never>(() => {});
      if (options.fail)
        return HttpResponse.json(
          { error: { message: "down", type: "server_error", param: null, code: null } },
          { status: 503 },
        );
      return HttpResponse.json({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: fakeEmbedding(body.input) }],
        model: body.model,
        usage: { prompt_tokens: 8, total_tokens: 8 },
      });
    }),
  );
  return seen;
}

export interface KvCalls {
  gets: string[];
  puts: string[];
}

/**
 * The CACHE binding as a Worker would see it, every get and put recorded (by key), and gets of `slow` keys never
 * answering: KV is the network edge of the cache. Pass it as CACHE to withEnv.
 */
export function observedKv(slow: (key: string) => boolean = () => false): { kv: KVNamespace; calls: KvCalls } {
  const calls: KvCalls = { gets: [], puts: [] };
  const kv = new Proxy(env.CACHE, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (property === "get") {
        return (key: string, ...rest: unknown[]) => {
          calls.gets.push(key);
          return slow(key) ? new Promise<never>(() => {}) : Reflect.apply(value, target, [key, ...rest]);
        };
      }
      if (property === "put") {
        return (key: string, ...rest: unknown[]) => {
          calls.puts.push(key);
          return Reflect.apply(value, target, [key, ...rest]);
        };
      }
      return value.bind(target);
    },
  });
  return { kv, calls };
}
