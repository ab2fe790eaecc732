import { describe, expect, it } from "vitest";
import { chatToResponsesStream } from "../../providers/inbound-responses/stream";
import { ResponsesStreamWriter } from "../../providers/inbound-responses/stream-events";
import { responseShell, type ResponseObject } from "../../providers/inbound-responses/wire";
import { responsesRequestSchema } from "../../schema/openai-responses";
import { parseSseText } from "../../providers/shared/sse";
import { brokenStream, cutStream, textStream, toolStream } from "../fixtures/inbound-anthropic/chat-answers";

interface Event {
  event: string | undefined;
  data: Record<string, unknown>;
}

const shell = (): ResponseObject =>
  responseShell(responsesRequestSchema.parse({ model: "gpt-4o", input: "Hi" }), "resp_test", 1_741_569_952);

function run(text: string, onDone?: (response: ResponseObject) => void): Event[] {
  const writer = new ResponsesStreamWriter(shell(), onDone);
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

/** Item ids are random: number them in order of appearance so two runs compare equal. */
function stableIds(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/(msg|fc)_[0-9a-f]{48}/g, (id) => {
    if (!seen.has(id)) seen.set(id, `id${seen.size}`);
    return seen.get(id) ?? id;
  });
}

async function throughStream(text: string, cut: number): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, cut));
      controller.enqueue(bytes.slice(cut));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(chatToResponsesStream(shell()))).text();
}

describe("chat stream -> Responses events", () => {
  it("emits the typed sequence for text, event names equal to type, sequence numbers from 0, usage at the end", () => {
    const events = run(textStream);
    for (const event of events) expect(event.event).toBe(event.data.type);
    expect(events.map((event) => event.data.sequence_number)).toEqual(events.map((_, i) => i));
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[0]?.data.response).toMatchObject({
      id: "resp_test",
      object: "response",
      status: "in_progress",
      output: [],
      model: "gpt-4o-2024-08-06",
    });
    expect(events[6]?.data).toMatchObject({ text: "Héllo 👋", output_index: 0, content_index: 0 });
    expect(events.at(-1)?.data.response).toMatchObject({
      status: "completed",
      output: [{ type: "message", status: "completed", content: [{ type: "output_text", text: "Héllo 👋" }] }],
      usage: {
        input_tokens: 30,
        output_tokens: 12,
        total_tokens: 42,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it("turns tool calls into function_call items with argument deltas, one item each", () => {
    let final: ResponseObject | undefined;
    const events = run(toolStream, (response) => (final = response));
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[11]?.data).toMatchObject({ name: "get_weather", arguments: '{"location":"Paris"}', output_index: 1 });
    expect(final?.output).toMatchObject([
      { type: "message" },
      {
        type: "function_call",
        call_id: "call_1",
        name: "get_weather",
        arguments: '{"location":"Paris"}',
        status: "completed",
      },
      { type: "function_call", call_id: "call_2", name: "get_time", arguments: '{"tz":"CET"}', status: "completed" },
    ]);
  });

  it("ends a broken or cut stream with error and response.failed, and reports the failed response", () => {
    for (const [text, code] of [
      [brokenStream, "upstream_stream_error"],
      [cutStream, "server_error"],
    ] as const) {
      let final: ResponseObject | undefined;
      const events = run(text, (response) => (final = response));
      expect(types(events).slice(-2)).toEqual(["error", "response.failed"]);
      expect(events.at(-2)?.data).toMatchObject({ code, param: null });
      expect(final).toMatchObject({ status: "failed", error: { code } });
    }
  });

  it("gives the same events whatever byte the network splits the chat stream at", async () => {
    for (const text of [textStream, toolStream]) {
      const whole = stableIds(await throughStream(text, 0));
      const length = new TextEncoder().encode(text).length;
      for (let cut = 1; cut < length; cut++) expect(stableIds(await throughStream(text, cut))).toBe(whole);
    }
  });
});
