/**
 * The fake OpenAI's `POST /openai/v1/responses` (test/e2e/fake-providers.ts routes it here): a Responses API
 * answer in OpenAI's own shapes, as JSON or as its typed SSE events (the server cuts each frame at awkward bytes).
 * Each response gets a fresh `resp_` id, so a conversation continued with previous_response_id can be told apart.
 */

export const RESPONSES_TEXT = "Fake OpenAI responses answer ✓";
export const RESPONSES_USAGE = {
  input_tokens: 14,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 6,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 20,
};

let counter = 0;

function responseObject(body: Record<string, unknown>, snapshot: string) {
  counter++;
  const message = {
    type: "message",
    id: `msg_fake${String(counter).padStart(4, "0")}`,
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text: RESPONSES_TEXT, annotations: [], logprobs: [] }],
  };
  return {
    message,
    response: {
      id: `resp_fake${String(counter).padStart(4, "0")}`,
      object: "response",
      created_at: 1_700_000_000,
      status: "completed",
      background: false,
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model: snapshot,
      output: [message],
      parallel_tool_calls: true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      store: body.store !== false,
      temperature: 1,
      text: { format: { type: "text" }, verbosity: "medium" },
      tool_choice: "auto",
      tools: [],
      top_p: 1,
      truncation: "disabled",
      usage: RESPONSES_USAGE,
      user: null,
      metadata: {},
    },
  };
}

/** The JSON answer and the SSE frames of one request (the caller sends one or the other). */
export function openaiResponsesAnswer(
  body: Record<string, unknown>,
  snapshot: string,
): { json: unknown; frames: string[] } {
  const { message, response } = responseObject(body, snapshot);
  const started = { ...response, status: "in_progress", output: [], usage: null };
  const ids = { item_id: message.id, output_index: 0, content_index: 0 };
  const half = Math.floor(RESPONSES_TEXT.length / 2);
  const events: Record<string, unknown>[] = [
    { type: "response.created", response: started },
    { type: "response.in_progress", response: started },
    { type: "response.output_item.added", output_index: 0, item: { ...message, status: "in_progress", content: [] } },
    {
      type: "response.content_part.added",
      ...ids,
      part: { type: "output_text", text: "", annotations: [], logprobs: [] },
    },
    { type: "response.output_text.delta", ...ids, delta: RESPONSES_TEXT.slice(0, half), logprobs: [] },
    { type: "response.output_text.delta", ...ids, delta: RESPONSES_TEXT.slice(half), logprobs: [] },
    { type: "response.output_text.done", ...ids, text: RESPONSES_TEXT, logprobs: [] },
    { type: "response.content_part.done", ...ids, part: message.content[0] },
    { type: "response.output_item.done", output_index: 0, item: message },
    { type: "response.completed", response },
  ];
  const frames = events.map(
    (event, i) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: i })}\n\n`,
  );
  return { json: response, frames };
}
