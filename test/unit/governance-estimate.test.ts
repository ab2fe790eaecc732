import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../schema/pricing";
import {
  DEFAULT_OUTPUT_TOKENS,
  hasOutputLimit,
  MEDIA_PART_TOKENS,
  outputTokens,
  promptTokens,
  promptTokensBound,
} from "../../src/governance/estimate";

describe("admission estimates", () => {
  it("chat prompt: every text the model reads, plus message framing", () => {
    const body = {
      model: "m",
      messages: [
        { role: "system", content: "Be terse." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
      ],
      tools: [{ type: "function", function: { name: "f" } }],
    };
    const expected =
      3 +
      estimateTokens(JSON.stringify(body.tools)) +
      (4 + estimateTokens("Be terse.")) +
      (4 + estimateTokens("What is in this picture?") + MEDIA_PART_TOKENS) +
      (4 + estimateTokens(JSON.stringify(body.messages[2]?.tool_calls)));
    expect(promptTokens("chat", body)).toBe(expected);
  });

  it("output: max_completion_tokens, then max_tokens, times n; a documented default without either", () => {
    expect(outputTokens("chat", { max_completion_tokens: 50, max_tokens: 10, n: 2 })).toBe(100);
    expect(outputTokens("chat", { max_tokens: 10 })).toBe(10);
    expect(outputTokens("chat", {})).toBe(DEFAULT_OUTPUT_TOKENS);
    expect(outputTokens("completions", { n: 2, best_of: 3 })).toBe(16 * 3);
    expect(outputTokens("embeddings", { max_tokens: 10 })).toBe(0);
  });

  it("completions and embeddings: text, lists of text, and token arrays (counted exactly)", () => {
    expect(promptTokens("completions", { prompt: "abcdefgh" })).toBe(2);
    expect(promptTokens("embeddings", { input: ["abcd", "abcd"] })).toBe(2);
    expect(
      promptTokens("embeddings", {
        input: [
          [1, 2, 3],
          [4, 5],
        ],
      }),
    ).toBe(5);
  });

  it("never throws on a body that validation will refuse later", () => {
    for (const body of [null, "x", 1, [], { messages: "nope" }, { messages: [null, 1, { content: 5 }] }]) {
      expect(() => promptTokens("chat", body)).not.toThrow();
      expect(outputTokens("chat", body)).toBeGreaterThanOrEqual(0);
    }
  });

  it("budget bound: one token per UTF-8 byte of text (byte-level BPE never packs more than a byte short)", () => {
    const body = { messages: [{ role: "user", content: "héllo 世界" }] };
    // 3 per request + 4 per message + bytes: h(1) é(2) llo(3) space(1) 世界(6)
    expect(promptTokensBound("chat", body)).toBe(3 + 4 + 13);
    expect(promptTokensBound("chat", body)).toBeGreaterThan(promptTokens("chat", body));
    expect(promptTokensBound("embeddings", { input: ["abcd", [1, 2, 3]] })).toBe(4 + 3);
  });

  it("knows when a chat request limits its answer", () => {
    expect(hasOutputLimit("chat", { max_tokens: 5 })).toBe(true);
    expect(hasOutputLimit("chat", { max_completion_tokens: 5 })).toBe(true);
    expect(hasOutputLimit("chat", {})).toBe(false);
    expect(hasOutputLimit("completions", {})).toBe(true);
  });
});
