import { http, HttpResponse } from "msw";
import { adminCall, json } from "./admin-helpers";
import { chunkedBody, upstream } from "./harness";

export const OPENAI_CHAT = "https://api.openai.com/v1/chat/completions";
/** Passthrough: the caller's own provider key, the provider by header. */
export const PASSTHROUGH = { "x-portkey-provider": "openai", authorization: "Bearer sk-caller" };

export interface Seen {
  auth: string | null;
  body: Record<string, unknown>;
}

export const completion = (content: string, model = "gpt-4o-mini") => ({
  id: "chatcmpl-p",
  object: "chat.completion",
  created: 1_700_000_000,
  model,
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
});

/** OpenAI's chat endpoint: answers per call (JSON, or SSE split at awkward byte offsets), records what it got. */
export function fakeOpenAi(reply: (seen: Seen) => Response = () => HttpResponse.json(completion("ok"))): Seen[] {
  const seen: Seen[] = [];
  upstream.use(
    http.post(OPENAI_CHAT, async ({ request }) => {
      const call = {
        auth: request.headers.get("authorization"),
        body: (await request.json()) as Record<string, unknown>,
      };
      seen.push(call);
      return reply(call);
    }),
  );
  return seen;
}

export function sseReply(text: string): Response {
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const usage = `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } })}\n\n`;
  const body =
    chunk({ role: "assistant", content: "" }) +
    chunk({ content: text.slice(0, 3) }) +
    chunk({ content: text.slice(3) }, "stop") +
    usage +
    "data: [DONE]\n\n";
  return new Response(chunkedBody(body, [7, 50, 51, 140, body.length - 3]), {
    headers: { "content-type": "text/event-stream" },
  });
}

export interface PromptBody {
  id: string;
  slug: string;
  version: number;
  labels: Array<{ label: string; version: number | null; versions: Array<{ version: number; weight: number }> | null }>;
  latest: Record<string, unknown> & { version: number; variables: unknown[] };
}

export async function createPrompt(body: Record<string, unknown>): Promise<PromptBody> {
  return json<PromptBody>(await adminCall({ method: "POST", path: "/prompts", body }), 201);
}

export async function updatePrompt(slug: string, body: Record<string, unknown>): Promise<PromptBody> {
  return json<PromptBody>(await adminCall({ method: "PUT", path: `/prompts/${slug}`, body }));
}

export async function setLabel(slug: string, label: string, body: unknown): Promise<PromptBody> {
  return json<PromptBody>(await adminCall({ method: "PUT", path: `/prompts/${slug}/labels/${label}`, body }));
}
