import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../schema/pricing";
import { chunkedBody, useFakeUpstreams } from "./harness";
import { callWith, chunk, chunkBase, OPENAI, serveSse, sse } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/** What a streamed answer leaves in its log row: the text (for estimates and bodies) and the served model. */

const headersFor = (trace: string) => ({
  "x-portkey-provider": "openai",
  authorization: "Bearer sk-test-streams-key-0000",
  "x-portkey-trace-id": trace,
});
const streamed = (model = "gpt-4o-mini") => ({
  model,
  stream: true,
  messages: [{ role: "user", content: "Tell me a story" }],
});

const toolCall = (args: string) => ({ tool_calls: [{ index: 0, function: { arguments: args } }] });
const answerChunks = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Once upon a time, " }),
  chunk({ content: "a gateway logged everything." }),
  chunk(toolCall('{"city":')),
  chunk(toolCall('"Paris"}')),
  chunk({}, "stop"),
];
const ANSWER_TEXT = 'Once upon a time, a gateway logged everything.{"city":"Paris"}';

describe("streamed answers in the log", { timeout: 30_000 }, () => {
  it("a stream without usage: completion tokens are estimated from the streamed text (content and tool-call arguments)", async () => {
    serveSse(OPENAI, () => chunkedBody(sse(answerChunks), [30, 200, 333]));
    const trace = uniqueTrace("stream-estimate");
    await callWith({}, { headers: headersFor(trace), body: streamed() });
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      stream: 1,
      tokens_estimated: 1,
      completion_tokens: estimateTokens(ANSWER_TEXT),
      prompt_tokens: estimateTokens("Tell me a story"),
    });
    expect(row.response_body).toBeNull(); // bodies stay off by default
  });

  it("with LOG_BODIES on, the response body of a stream is its text, not SSE frames", async () => {
    serveSse(OPENAI, () => chunkedBody(sse(answerChunks)));
    const trace = uniqueTrace("stream-body");
    await callWith({ LOG_BODIES: "true" }, { headers: headersFor(trace), body: streamed() });
    const row = await loggedRow(trace);
    expect(row.response_body).toBe(ANSWER_TEXT);
    expect(row.request_body).toContain("Tell me a story");
  });

  it("the served model comes from the chunks: a dated model is priced as itself, not as its alias", async () => {
    const dated = "gpt-4o-2024-05-13"; // $5 / $15 per million, where gpt-4o is $2.5 / $10
    const usage = { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 };
    serveSse(OPENAI, () =>
      chunkedBody(
        sse([
          chunk({ content: "Hi" }, null, dated),
          chunk({}, "stop", dated),
          { ...chunkBase, model: dated, choices: [], usage },
        ]),
      ),
    );
    const trace = uniqueTrace("stream-served-model");
    await callWith({}, { headers: headersFor(trace), body: streamed("gpt-4o") });
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ served_model: dated, model: dated, priced_as: `openai/${dated}`, tokens_estimated: 0 });
    expect(row.cost_usd).toBeCloseTo(100 * 5e-6 + 10 * 1.5e-5, 12);
  });
});
