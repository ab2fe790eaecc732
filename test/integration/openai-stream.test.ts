import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { brokenBody, chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const URL = "https://api.openai.com/v1/chat/completions";
const headers = { "x-portkey-provider": "openai", authorization: "Bearer sk-test" };
const base = {
  id: "chatcmpl-s1",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  system_fingerprint: "fp",
};
const chunk = (delta: object, finish: string | null = null) => ({
  ...base,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  usage: null,
});
const usage = {
  prompt_tokens: 11,
  completion_tokens: 4,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 0 },
};
const chunks = [
  chunk({ role: "assistant", content: "", refusal: null }),
  chunk({ content: "Hé" }),
  chunk({ content: "llo 🌍" }),
  chunk({}, "stop"),
  { ...base, choices: [], usage },
];
// Exactly how OpenAI frames it when include_usage is on: every chunk carries "usage": null.
const recorded = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
const byteLength = new TextEncoder().encode(recorded).length;

function serveStream(body: () => ReadableStream<Uint8Array>, seen?: unknown[]) {
  upstream.use(
    http.post(URL, async ({ request }) => {
      seen?.push(await request.json());
      return new HttpResponse(body(), { headers: { "content-type": "text/event-stream" } });
    }),
  );
}

const request = (extra: object = {}) => ({
  headers,
  body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true, ...extra },
});

describe("openai streaming", () => {
  it("asks the upstream for usage, and keeps it out of a client stream that did not ask", async () => {
    const seen: unknown[] = [];
    serveStream(() => chunkedBody(recorded), seen);
    const res = await gateway(request());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const data = await sseData(res);
    expect(seen[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(data.at(-1)).toBe("[DONE]");
    const parsed = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(parsed).toHaveLength(4);
    for (const c of parsed) expect(c).not.toHaveProperty("usage");
    expect(parsed.map((c) => c.choices[0].delta.content ?? "").join("")).toBe("Héllo 🌍");
    expect(parsed[3].choices[0].finish_reason).toBe("stop");
  });

  it("forwards the usage chunk when the client asked for it", async () => {
    serveStream(() => chunkedBody(recorded));
    const data = await sseData(await gateway(request({ stream_options: { include_usage: true } })));
    expect(data.slice(0, -1).map((d) => JSON.parse(d))).toEqual(chunks);
    expect(data.at(-1)).toBe("[DONE]");
  });

  it("re-assembles the same stream split at every byte boundary", async () => {
    for (let cut = 1; cut < byteLength; cut += 1) {
      serveStream(() => chunkedBody(recorded, [cut, Math.min(cut + 7, byteLength - 1)]));
      const data = await sseData(await gateway(request({ stream_options: { include_usage: true } })));
      expect(
        data.slice(0, -1).map((d) => JSON.parse(d)),
        `cut at ${cut}`,
      ).toEqual(chunks);
      upstream.resetHandlers();
    }
  }, 60_000);

  it("ends a stream cut mid-way with an error event and never [DONE]", async () => {
    const firstTwo = chunks
      .slice(0, 2)
      .map((c) => `data: ${JSON.stringify(c)}\n\n`)
      .join("");
    serveStream(() => brokenBody(firstTwo + 'data: {"id":"chatcmpl-s1","obj'));
    const data = await sseData(await gateway(request()));
    expect(data).not.toContain("[DONE]");
    expect(data).toHaveLength(3);
    const last = JSON.parse(data[2] ?? "{}");
    expect(last.error).toMatchObject({ type: "api_error", code: "upstream_stream_error" });
    expect(last.error.message).toMatch(/^upstream stream was interrupted/);
  });

  it("treats a stream that closes cleanly without [DONE] as incomplete", async () => {
    serveStream(() =>
      chunkedBody(
        chunks
          .slice(0, 2)
          .map((c) => `data: ${JSON.stringify(c)}\n\n`)
          .join(""),
      ),
    );
    const data = await sseData(await gateway(request()));
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "{}").error.code).toBe("upstream_stream_incomplete");
  });

  it("turns an error object sent inside the stream into an error event", async () => {
    serveStream(() =>
      chunkedBody(
        `data: ${JSON.stringify(chunks[1])}\n\ndata: {"error":{"message":"overloaded","type":"server_error"}}\n\n`,
      ),
    );
    const data = await sseData(await gateway(request()));
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "{}").error.message).toBe("upstream stream was interrupted: overloaded");
  });
});
