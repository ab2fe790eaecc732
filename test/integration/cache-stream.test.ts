import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { cachedCall, chatBody, keysWith, serveChat, sse, status, uniq, waitForEntries } from "./cache-fixtures";
import { brokenBody, chunkedBody, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const head = {
  id: "chatcmpl-st",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  system_fingerprint: "fp_s",
};
const chunk = (delta: object, finish: string | null = null) => ({
  ...head,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  usage: null,
});
const usage = { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 };
const frames = (items: unknown[]) => items.map((item) => `data: ${JSON.stringify(item)}\n\n`).join("");
const textChunks = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Hé" }),
  chunk({ content: "llo 🌍" }),
  chunk({}, "stop"),
  { ...head, choices: [], usage },
];
const recorded = frames(textChunks) + "data: [DONE]\n\n";

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** Every data payload of an SSE response, parsed with the gateway's own SSE reader. */
async function events(res: Response): Promise<string[]> {
  return parseSseText(await res.text()).map((event) => event.data);
}

describe("streamed answers in the cache", () => {
  it("stores a completed stream and replays it chunk by chunk, usage only when asked", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat(() => sse(chunkedBody(recorded, [7, 50, 51, 200])));
    const body = chatBody("Greet me", { stream: true });
    const first = await cachedCall({ body, headers });
    expect(status(first)).toBe("MISS");
    expect((await events(first)).at(-1)).toBe("[DONE]");
    await waitForEntries(1, `rc1:${ns}:`);

    const replay = await cachedCall({ body, headers });
    expect(status(replay)).toBe("HIT");
    expect(replay.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const raw = await replay.clone().text();
    // The wire format an SSE client needs: `data: <json>` frames separated by a blank line, then [DONE].
    expect(raw).toMatch(/^(data: \{[^\n]+\}\n\n)+data: \[DONE\]\n\n$/);
    const data = await events(replay);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    for (const c of chunks) {
      expect(c).toMatchObject({
        id: "chatcmpl-st",
        object: "chat.completion.chunk",
        created: 1_700_000_000,
        model: "gpt-4o-mini-2024-07-18",
      });
      expect(c).not.toHaveProperty("usage");
    }
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "Héllo 🌍" },
      {},
    ]);
    expect(chunks.map((c) => c.choices[0].finish_reason)).toEqual([null, null, "stop"]);

    const withUsage = await cachedCall({ body: { ...body, stream_options: { include_usage: true } }, headers });
    expect(status(withUsage)).toBe("HIT");
    const usageData = (await events(withUsage)).slice(0, -1).map((d) => JSON.parse(d));
    expect(usageData.at(-1)).toEqual({ ...head, choices: [], usage });
    expect(served.calls).toBe(1);
  });

  it("answers a non-streamed request from a streamed entry with the assembled JSON", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveChat(() => sse(recorded));
    await (await cachedCall({ body: chatBody("Greet me", { stream: true }), headers })).text();
    await waitForEntries(1, `rc1:${ns}:`);
    const res = await cachedCall({ body: chatBody("Greet me"), headers });
    expect(status(res)).toBe("HIT");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({
      id: "chatcmpl-st",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "gpt-4o-mini-2024-07-18",
      system_fingerprint: "fp_s",
      choices: [
        { index: 0, message: { role: "assistant", content: "Héllo 🌍" }, logprobs: null, finish_reason: "stop" },
      ],
      usage,
    });
  });

  it("never stores a stream that was cut", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat((call) => (call === 0 ? sse(brokenBody(frames(textChunks.slice(0, 2)))) : sse(recorded)));
    const body = chatBody("Cut me", { stream: true });
    const cut = await cachedCall({ body, headers });
    expect(status(cut)).toBe("MISS");
    expect(await events(cut)).not.toContain("[DONE]");
    await settle();
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);
    const next = await cachedCall({ body, headers });
    expect(status(next)).toBe("MISS");
    await next.text();
    expect(served.calls).toBe(2);
  });

  it("never stores a stream that ended without its terminal event or with an error event", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const errorEvent = `data: ${JSON.stringify({ error: { message: "overloaded", type: "server_error", param: null, code: null } })}\n\n`;
    serveChat((call) => sse(call === 0 ? frames(textChunks.slice(0, 3)) : frames(textChunks.slice(0, 2)) + errorEvent));
    for (const question of ["Unfinished", "Errored"]) {
      const res = await cachedCall({ body: chatBody(question, { stream: true }), headers });
      expect(await events(res)).not.toContain("[DONE]");
    }
    await settle();
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);
  });

  it("never stores a stream the client abandoned", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveChat(() => sse(chunkedBody(recorded, [40, 80, 120, 160, 200, 240])));
    const res = await cachedCall({ body: chatBody("Leave early", { stream: true }), headers });
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await settle();
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);
  });

  it("replays tool calls to streamed and non-streamed requests", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const toolChunks = [
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: "call_w", type: "function", function: { name: "weather", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':"Oslo"}' } }] }),
      chunk({}, "tool_calls"),
      { ...head, choices: [], usage },
    ];
    serveChat(() => sse(frames(toolChunks) + "data: [DONE]\n\n"));
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }];
    await (await cachedCall({ body: chatBody("Weather in Oslo?", { tools, stream: true }), headers })).text();
    await waitForEntries(1, `rc1:${ns}:`);
    const json = (await (await cachedCall({ body: chatBody("Weather in Oslo?", { tools }), headers })).json()) as {
      choices: { message: { tool_calls: unknown[] }; finish_reason: string }[];
    };
    expect(json.choices[0]?.message.tool_calls).toEqual([
      { id: "call_w", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } },
    ]);
    expect(json.choices[0]?.finish_reason).toBe("tool_calls");
    const streamed = (
      await events(await cachedCall({ body: chatBody("Weather in Oslo?", { tools, stream: true }), headers }))
    )
      .slice(0, -1)
      .map((d) => JSON.parse(d).choices[0]);
    expect(streamed.flatMap((c) => c.delta.tool_calls ?? [])).toEqual([
      { index: 0, id: "call_w", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } },
    ]);
    expect(streamed.at(-1).finish_reason).toBe("tool_calls");
  });
});
