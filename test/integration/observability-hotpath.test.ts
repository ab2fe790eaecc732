import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { logEventSchema } from "../../src/observability/event";
import { upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

/** Logging stays off the request path: the response never waits for the queue, and nothing writes D1. */

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

describe("the request path", () => {
  it("answers before the log event is enqueued, enqueues it exactly once, and writes nothing to D1", async () => {
    upstream.use(
      http.post("https://api.openai.com/v1/chat/completions", () =>
        HttpResponse.json({
          id: "c",
          object: "chat.completion",
          created: 1,
          model: "gpt-4o-mini",
          choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop", logprobs: null }],
          usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
        }),
      ),
    );
    const sent: unknown[] = [];
    let releaseQueue: () => void = () => {};
    const queueGate = new Promise<void>((resolve) => (releaseQueue = resolve));
    // A queue that takes as long as the test wants: the response must not wait for it.
    const slowQueue = {
      send: async () => {
        throw new Error("events leave in batches (src/observability/batch.ts)");
      },
      sendBatch: async (messages: Iterable<MessageSendRequest>) => {
        await queueGate;
        for (const message of messages) sent.push(JSON.parse(String(message.body)));
      },
    } as unknown as Queue;
    const writes: string[] = [];
    const watchedDb = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare") {
          return (query: string) => {
            if (WRITE.test(query)) writes.push(query);
            return target.prepare(query);
          };
        }
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("http://gateway.test/v1/chat/completions", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-portkey-provider": "openai",
          authorization: "Bearer sk-test",
        },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }),
      }),
      { ...env, LOG_QUEUE: slowQueue, DB: watchedDb },
      ctx,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "c" });
    expect(sent).toEqual([]); // answered while the queue is still busy
    releaseQueue();
    await waitOnExecutionContext(ctx);
    expect(sent).toHaveLength(1);
    expect(logEventSchema.safeParse(sent[0]).success).toBe(true);
    expect(writes).toEqual([]);
  });
});
