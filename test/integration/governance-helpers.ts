import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { expect, vi } from "vitest";
import { app } from "../../src/app";
import { adminCall, json } from "./admin-helpers";
import { gateway, upstream, type GatewayCall } from "./harness";

/** Governance test helpers: keys through the admin API, fake OpenAI upstreams that record what they got. */

export interface KeyBody {
  object: "gateway_key";
  id: string;
  name: string;
  key_prefix: string;
  status: string;
  [field: string]: unknown;
}
export type NewKeyBody = KeyBody & { key: string };

export interface VirtualKeyBody {
  object: "virtual_key";
  id: string;
  slug: string;
  provider: string;
  status: string;
  api_key_hint: string;
  options: string[];
  vault_key_id: string;
  [field: string]: unknown;
}

export interface UsageBody {
  tracked: boolean;
  rpm: { limit: number | null; used: number };
  tpm: { limit: number | null; used: number };
  budget: {
    limit_usd: number | null;
    period: string;
    spent_usd: number;
    reserved_usd: number;
    in_flight: number;
    resets_at: string | null;
  };
}

let counter = 0;
export const unique = (prefix: string): string => `${prefix}-${++counter}-${crypto.randomUUID().slice(0, 8)}`;

export async function createKey(body: Record<string, unknown> = {}): Promise<NewKeyBody> {
  return json<NewKeyBody>(
    await adminCall({ method: "POST", path: "/keys", body: { name: unique("key"), ...body } }),
    201,
  );
}

/** A virtual key with a recognisable provider secret (returned, since the API never shows it again). */
export async function createVirtualKey(
  body: Record<string, unknown> = {},
): Promise<VirtualKeyBody & { secret: string }> {
  const secret = `sk-vault-${crypto.randomUUID()}`;
  const created = await json<VirtualKeyBody>(
    await adminCall({
      method: "POST",
      path: "/virtual-keys",
      body: { slug: unique("vk"), provider: "openai", api_key: secret, ...body },
    }),
    201,
  );
  return { ...created, secret: typeof body.api_key === "string" ? body.api_key : secret };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Run the app with vars overridden (e.g. PASSTHROUGH_MODE off, another VAULT_KEY), waiting for its waitUntil work. */
export async function withEnv(overrides: Partial<Env>, call: GatewayCall): Promise<Response> {
  const { path = "/v1/chat/completions", method = "POST", headers = {}, body } = call;
  const init: RequestInit = { method, headers: { "content-type": "application/json", ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`http://gateway.test${path}`, init), { ...env, ...overrides }, ctx);
  await res.clone().arrayBuffer();
  await waitOnExecutionContext(ctx);
  return res;
}

export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface UsageReply {
  prompt_tokens: number;
  completion_tokens: number;
}

export function completionBody(model: string, usage: UsageReply = { prompt_tokens: 5, completion_tokens: 2 }) {
  return {
    id: "chatcmpl-gov",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop", logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** A fake OpenAI-compatible chat endpoint (api.openai.com by default) recording every request. */
export function fakeOpenAI(options: { base?: string; usage?: UsageReply; status?: number } = {}): SeenRequest[] {
  const seen: SeenRequest[] = [];
  upstream.use(
    http.post(`${options.base ?? "https://api.openai.com/v1"}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      seen.push({ url: request.url, headers: Object.fromEntries(request.headers), body });
      if (options.status && options.status !== 200) {
        return HttpResponse.json(
          { error: { message: "upstream failed", type: "server_error", param: null, code: null } },
          { status: options.status },
        );
      }
      return HttpResponse.json(completionBody(String(body.model), options.usage));
    }),
  );
  return seen;
}

export const chat = (model = "gpt-4o-mini", extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: "user", content: "Hi" }],
  ...extra,
});

/** POST a chat completion with a gateway key and extra headers. */
export function callWithKey(
  key: string,
  body: unknown = chat(),
  headers: Record<string, string> = {},
): Promise<Response> {
  return gateway({ headers: { ...bearer(key), ...headers }, body });
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export async function errorOf(res: Response, status: number): Promise<ErrorBody["error"]> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (JSON.parse(text) as ErrorBody).error;
}

export async function usageOf(kind: "keys" | "virtual-keys", ref: string): Promise<UsageBody> {
  return json<UsageBody>(await adminCall({ path: `/${kind}/${ref}/usage` }));
}

/** Settlement runs in waitUntil after the response: wait until nothing is held in flight. */
export async function settled(kind: "keys" | "virtual-keys", ref: string): Promise<UsageBody> {
  let usage: UsageBody | undefined;
  await vi.waitFor(
    async () => {
      usage = await usageOf(kind, ref);
      expect(usage.budget.in_flight).toBe(0);
    },
    { timeout: 10_000, interval: 50 },
  );
  if (!usage) throw new Error("unreachable");
  return usage;
}
