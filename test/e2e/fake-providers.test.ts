/// <reference types="node" />
/**
 * The fakes are only worth something if they behave like the real thing: these checks prove that SSE frames really
 * leave in awkward pieces and that the fakes refuse what the real providers refuse. No gateway involved.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLY_TEXT, awkwardCuts, startFakeProviders, type FakeProviders } from "./fake-providers";

let fake: FakeProviders;

beforeAll(async () => {
  fake = await startFakeProviders();
});

afterAll(async () => {
  await fake?.close();
});

interface RawResponse {
  status: number;
  chunks: Buffer[];
}

/** POST and collect the body exactly as the socket delivered it. */
function post(path: string, body: unknown, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${fake.origin}${path}`,
      { method: "POST", headers: { "content-type": "application/json", ...headers }, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, chunks }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("fake did not answer in time")));
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** A chunk cut inside a multibyte character does not survive a decode / encode round trip. */
const decodes = (chunk: Buffer) => Buffer.from(chunk.toString("utf8"), "utf8").equals(chunk);

describe("fake providers", () => {
  it("cuts frames inside a JSON string, inside a multibyte character and before the last byte", () => {
    const frame = Buffer.from('data: {"content":"Hé 你"}\n\n');
    expect(awkwardCuts(frame)).toEqual([2, 9, 20, frame.length - 1]);
  });

  it("OpenAI SSE arrives in pieces, some of them not even valid UTF-8 on their own", async () => {
    const res = await post(
      "/openai/v1/chat/completions",
      { model: "gpt-fake", messages: [{ role: "user", content: "Hi" }], stream: true },
      { authorization: "Bearer sk-fake" },
    );
    expect(res.status).toBe(200);
    const text: string = Buffer.concat(res.chunks).toString("utf8");
    const frames = text.split("\n\n").filter((frame) => frame !== "");
    expect(frames.at(-1)).toBe("data: [DONE]");
    expect(res.chunks.length).toBeGreaterThan(frames.length);
    expect(res.chunks.some((chunk) => !decodes(chunk))).toBe(true);
    const content = frames
      .slice(0, -1)
      .map((frame) => JSON.parse(frame.slice("data: ".length)) as { choices: { delta: { content?: string } }[] })
      .map((chunk) => chunk.choices[0]?.delta.content ?? "")
      .join("");
    expect(content).toBe(REPLY_TEXT);
  });

  it("Gemini SSE uses CRLF and is split between CR and LF", async () => {
    const res = await post(
      "/google/v1beta/models/gemini-fake:streamGenerateContent?alt=sse",
      { contents: [{ role: "user", parts: [{ text: "Hi" }] }] },
      { "x-goog-api-key": "sk-fake" },
    );
    expect(res.status).toBe(200);
    expect(Buffer.concat(res.chunks).toString("utf8")).toMatch(/^data: \{.*\}\r\n\r\n/);
    const crThenLf = res.chunks.some((chunk, i) => chunk.at(-1) === 0x0d && res.chunks[i + 1]?.[0] === 0x0a);
    expect(crThenLf).toBe(true);
  });

  it("Anthropic refuses OpenAI-only fields and a missing anthropic-version, like the real API", async () => {
    const body = { model: "claude-fake", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] };
    const leaked = await post(
      "/anthropic/v1/messages",
      { ...body, stream_options: { include_usage: true } },
      { "x-api-key": "k", "anthropic-version": "2023-06-01" },
    );
    expect(leaked.status).toBe(400);
    expect(JSON.parse(Buffer.concat(leaked.chunks).toString())).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "stream_options: Extra inputs are not permitted" },
    });
    const noVersion = await post("/anthropic/v1/messages", body, { "x-api-key": "k" });
    expect(noVersion.status).toBe(400);
  });

  it("Gemini refuses unknown fields and a missing API key", async () => {
    const body = { contents: [{ role: "user", parts: [{ text: "Hi" }] }] };
    const leaked = await post(
      "/google/v1beta/models/gemini-fake:generateContent",
      { ...body, model: "x" },
      { "x-goog-api-key": "k" },
    );
    expect(leaked.status).toBe(400);
    const noKey = await post("/google/v1beta/models/gemini-fake:generateContent", body, {});
    expect(noKey.status).toBe(403);
  });
});
