import { chatBodySchema, completionBodySchema, type ChatBody, type CompletionBody } from "./shapes";

const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const DONE = "data: [DONE]\n\n";

/** Fields of a stored message that are not streamed as text deltas of their own kind. */
const MESSAGE_STRUCTURE = new Set(["role", "content", "refusal", "tool_calls"]);

interface Replay {
  includeUsage: boolean;
  usage: unknown;
}

/**
 * The chunks OpenAI would have sent for this completion: per choice a role chunk, any reasoning text, the content
 * (with its logprobs), a refusal, one chunk per tool call (whole arguments), then finish_reason; a usage chunk
 * (`choices: []`) only when the client asked with stream_options.include_usage, and then, as OpenAI does,
 * `"usage": null` on every other chunk. Each field arrives in one piece: a replay has no reason to dribble.
 */
function chatFrames(body: ChatBody, replay: Replay): string {
  const head: Record<string, unknown> = { id: body.id, object: "chat.completion.chunk", created: body.created, model: body.model };
  if (body.system_fingerprint) head.system_fingerprint = body.system_fingerprint;
  const tail = replay.includeUsage ? { usage: null } : {};
  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null, logprobs: unknown = null) =>
    frame({ ...head, choices: [{ index, delta, logprobs, finish_reason: finish }], ...tail });

  let out = "";
  for (const choice of body.choices) {
    const { message, index } = choice;
    out += chunk(index, { role: "assistant", content: typeof message.content === "string" ? "" : null });
    for (const [key, value] of Object.entries(message)) {
      if (!MESSAGE_STRUCTURE.has(key) && typeof value === "string" && value !== "") out += chunk(index, { [key]: value });
    }
    if (message.content) out += chunk(index, { content: message.content }, null, choice.logprobs ?? null);
    if (message.refusal) out += chunk(index, { refusal: message.refusal });
    message.tool_calls?.forEach((call, position) => {
      const { id, type, function: fn, ...extra } = call;
      const delta = { index: position, id, type, function: { name: fn.name, arguments: fn.arguments }, ...extra };
      out += chunk(index, { tool_calls: [delta] });
    });
    out += chunk(index, {}, choice.finish_reason ?? "stop");
  }
  if (replay.includeUsage && replay.usage) out += frame({ ...head, choices: [], usage: replay.usage });
  return out + DONE;
}

function completionFrames(body: CompletionBody, replay: Replay): string {
  const head = { id: body.id, object: "text_completion", created: body.created, model: body.model };
  const tail = replay.includeUsage ? { usage: null } : {};
  let out = "";
  const chunk = (index: number, text: string, finish: string | null) =>
    frame({ ...head, choices: [{ index, text, logprobs: null, finish_reason: finish }], ...tail });
  for (const choice of body.choices) {
    if (choice.text) out += chunk(choice.index, choice.text, null);
    out += chunk(choice.index, "", choice.finish_reason ?? "stop");
  }
  if (replay.includeUsage && replay.usage) out += frame({ ...head, choices: [], usage: replay.usage });
  return out + DONE;
}

/** The SSE text of a stored body, or null when the body cannot be replayed (then the cache answers MISS). */
export function replayStream(operation: "chat" | "completions", body: unknown, replay: Replay): string | null {
  if (operation === "chat") {
    const parsed = chatBodySchema.safeParse(body);
    return parsed.success ? chatFrames(parsed.data, replay) : null;
  }
  const parsed = completionBodySchema.safeParse(body);
  return parsed.success ? completionFrames(parsed.data, replay) : null;
}
