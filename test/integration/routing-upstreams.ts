import { delay, http, HttpResponse } from "msw";
import { expect } from "vitest";
import { gateway, upstream } from "./harness";

/**
 * Fake OpenAI-compatible upstreams for the routing tests: each target is its own host under *.allowed.test (the
 * custom_host allowlist of vitest.config.ts), answering from a script, and counting what it received.
 */
export type Reply =
  { status: number; message?: string; headers?: Record<string, string>; delayMs?: number } | "network";

export const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };

export function completion(model: string, content: string) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

export interface FakeTarget {
  host: string;
  /** Bodies received, in order. */
  bodies: Record<string, unknown>[];
  readonly calls: number;
  /** Replace the script (for example: the target recovers). */
  script(replies: Reply[] | ((call: number) => Reply)): void;
  /** A config target pointing at this host. */
  target(extra?: Record<string, unknown>): Record<string, unknown>;
}

let counter = 0;

/**
 * A target answering `replies` in order (the last one repeats). 200 answers say which host served them, so a test
 * can tell targets apart by the completion's content.
 */
export function fakeTarget(name: string, replies: Reply[] | ((call: number) => Reply) = [{ status: 200 }]): FakeTarget {
  counter += 1;
  const host = `${name}-${counter}.allowed.test`;
  // Fixed now: `counter` moves on with every fakeTarget, and a target's key must not (it is part of its breaker key).
  const apiKey = `sk-${name}-${counter}`;
  let script = replies;
  const bodies: Record<string, unknown>[] = [];
  const replyFor = (call: number): Reply => {
    if (typeof script === "function") return script(call);
    return script[Math.min(call, script.length - 1)] ?? { status: 200 };
  };
  upstream.use(
    http.post(`https://${host}/v1/chat/completions`, async ({ request }) => {
      const call = bodies.length;
      bodies.push((await request.json()) as Record<string, unknown>);
      const reply = replyFor(call);
      if (reply === "network") return HttpResponse.error();
      if (reply.delayMs) await delay(reply.delayMs);
      if (reply.status === 200)
        return HttpResponse.json(completion(String(bodies[call]?.model), `from ${name}`), { headers: reply.headers });
      const error = { message: reply.message ?? `${name} failed`, type: "server_error", param: null, code: null };
      return HttpResponse.json({ error }, { status: reply.status, headers: reply.headers });
    }),
  );
  return {
    host,
    bodies,
    get calls() {
      return bodies.length;
    },
    script(next) {
      script = next;
    },
    target(extra = {}) {
      return { provider: "openai", api_key: apiKey, custom_host: `https://${host}/v1`, ...extra };
    },
  };
}

export interface Routed {
  res: Response;
  status: number;
  /** `from <name>` for a 200, the error message otherwise. */
  answer: string;
  error?: { message: string; type: string; param: string | null; code: string | null };
  index: string | null;
  retries: string | null;
  ms: number;
}

/** Send a chat completion through the gateway with a config (and extra headers), and read the answer. */
export async function route(
  config: unknown,
  headers: Record<string, string> = {},
  body: unknown = chat,
): Promise<Routed> {
  const started = Date.now();
  const res = await gateway({ headers: { "x-portkey-config": JSON.stringify(config), ...headers }, body });
  const json = (await res.json()) as { choices?: { message: { content: string } }[]; error?: Routed["error"] };
  const ms = Date.now() - started;
  const answer = json.choices?.[0]?.message.content ?? json.error?.message ?? "";
  const routed: Routed = {
    res,
    status: res.status,
    answer,
    index: res.headers.get("x-portkey-last-used-option-index"),
    retries: res.headers.get("x-portkey-retry-attempt-count"),
    ms,
  };
  if (json.error) routed.error = json.error;
  return routed;
}

/** A 400 for an invalid config, with the message it should carry. */
export async function expectConfigError(
  config: unknown,
  message: string | RegExp,
  code = "invalid_config",
): Promise<void> {
  const { status, error } = await route(config);
  expect(status, JSON.stringify(error)).toBe(400);
  expect(error?.param).toBe("x-portkey-config");
  expect(error?.code).toBe(code);
  if (typeof message === "string") expect(error?.message).toBe(message);
  else expect(error?.message).toMatch(message);
}
