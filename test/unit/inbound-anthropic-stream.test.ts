import { describe, expect, it } from "vitest";
import { chatToMessagesStream } from "../../providers/inbound-anthropic/stream";
import { MessagesStreamWriter } from "../../providers/inbound-anthropic/stream-events";
import { parseSseText } from "../../providers/shared/sse";
import { brokenStream, cutStream, textStream, toolStream } from "../fixtures/inbound-anthropic/chat-answers";

interface Event {
  event: string | undefined;
  data: Record<string, unknown>;
}

function run(text: string): Event[] {
  const writer = new MessagesStreamWriter("gpt-4o");
  const out =
    parseSseText(text)
      .map((event) => writer.onEvent(event))
      .join("") + writer.end();
  return parseSseText(out).map((event) => ({
    event: event.event,
    data: JSON.parse(event.data) as Record<string, unknown>,
  }));
}

const types = (events: Event[]) => events.map((event) => event.data.type);

/** Feed `text` through the TransformStream cut into two network reads at byte `cut`. */
async function throughStream(text: string, cut: number): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, cut));
      controller.enqueue(bytes.slice(cut));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(chatToMessagesStream("gpt-4o"))).text();
}

describe("chat stream -> Anthropic events", () => {
  it("emits Anthropic's exact sequence for reasoning then text, with the event name equal to data.type", () => {
    const events = run(textStream);
    for (const event of events) expect(event.event).toBe(event.data.type);
    expect(types(events)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[0]?.data.message).toMatchObject({
      id: "msg_chatcmpl-stream1",
      type: "message",
      role: "assistant",
      model: "gpt-4o-2024-08-06",
      content: [],
    });
    expect(events[2]?.data).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "", signature: "" },
    });
    expect(events[3]?.data).toEqual({
      type: "content_block_delta",
      index: 0,
      delta: { type: "thinking_delta", thinking: "Hmm… " },
    });
    expect(events[6]?.data).toEqual({
      type: "content_block_start",
      index: 1,
      content_block: { type: "text", text: "" },
    });
    expect(events[8]?.data).toEqual({
      type: "content_block_delta",
      index: 1,
      delta: { type: "text_delta", text: "llo 👋" },
    });
    expect(events[10]?.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    });
  });

  it("streams tool calls as tool_use blocks with input_json_delta fragments, and stop_reason tool_use", () => {
    const events = run(toolStream);
    const data = events.map((event) => event.data);
    expect(data.filter((event) => event.type === "content_block_start")).toEqual([
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "call_1", name: "get_weather", input: {} },
      },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "call_2", name: "get_time", input: {} },
      },
    ]);
    const json = data.filter((event) => (event.delta as { type?: string } | undefined)?.type === "input_json_delta");
    expect(json.map((event) => [event.index, (event.delta as { partial_json: string }).partial_json])).toEqual([
      [1, '{"loc'],
      [1, 'ation":"Paris"}'],
      [2, '{"tz":"CET"}'],
    ]);
    expect(data.filter((event) => event.type === "content_block_stop").map((event) => event.index)).toEqual([0, 1, 2]);
    expect(data.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
  });

  it("ends a failed stream with an error event in Anthropic's envelope, and no message_stop", () => {
    const events = run(brokenStream);
    expect(types(events)).toEqual(["message_start", "ping", "content_block_start", "content_block_delta", "error"]);
    expect(events.at(-1)).toEqual({
      event: "error",
      data: {
        type: "error",
        error: { type: "api_error", message: "upstream stream was interrupted: connection reset" },
      },
    });
  });

  it("ends a stream that stops without [DONE] with an error event", () => {
    const events = run(cutStream);
    expect(types(events).at(-1)).toBe("error");
    expect(types(events)).not.toContain("message_stop");
  });

  it("gives the same events whatever byte the network splits the chat stream at", async () => {
    for (const fixture of [textStream, toolStream, brokenStream]) {
      const whole = await throughStream(fixture, 0);
      const length = new TextEncoder().encode(fixture).length;
      for (let cut = 1; cut < length; cut++) expect(await throughStream(fixture, cut)).toBe(whole);
    }
  });
});
