import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { app } from "../../src/app";
import { upstream } from "./harness";

/** Fake OpenAI answers (JSON and SSE) for the observability tests, and calls to the app with other vars. */

export const OPENAI = "https://api.openai.com/v1/chat/completions";

export const completion = (usage: object, model = "gpt-4o-mini") => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1_700_000_000,
  model,
  choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop", logprobs: null }],
  usage,
});

export const chunkBase = {
  id: "chatcmpl-s",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
};
export const chunk = (delta: object, finish: string | null = null, model = chunkBase.model) => ({
  ...chunkBase,
  model,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});
export const sse = (chunks: object[], done = true) =>
  chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + (done ? "data: [DONE]\n\n" : "");
export const serveSse = (url: string, body: () => ReadableStream<Uint8Array>) =>
  upstream.use(http.post(url, () => new HttpResponse(body(), { headers: { "content-type": "text/event-stream" } })));

export interface AppCall {
  path?: string;
  method?: string;
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * The Worker with other vars (the queue and D1 stay the real bindings, so the row arrives as in production); reads
 * the whole answer and waits for the work handed to waitUntil.
 */
export async function callWith(vars: Partial<Env>, call: AppCall): Promise<{ status: number; text: string }> {
  const ctx = createExecutionContext();
  const init: RequestInit = {
    method: call.method ?? "POST",
    headers: { "content-type": "application/json", ...call.headers },
  };
  if (call.body !== undefined) init.body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
  if (call.signal) init.signal = call.signal;
  const res = await app.fetch(
    new Request(`http://gateway.test${call.path ?? "/v1/chat/completions"}`, init),
    { ...env, ...vars },
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, text };
}
