import { chatBodySchema, completionBodySchema, type ChatBody, type CompletionBody } from "./shapes";

const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const DONE = "data: [DONE]\n\n";

/** Message fields streamed in chunks of their own kind; every other non-null field gets one chunk, whole. */
const MESSAGE_STRUCTURE = new Set(["role", "content", "refusal", "tool_calls"]);
/** Body fields every chunk repeats, as OpenAI sends them. */
const HEAD_FIELDS = ["system_fingerprint", "service_tier"] as const;
/** Body fields that are not extras sent once (the rest, e.g. `moderation`, ride on the last choice chunk). */
const BODY_STRUCTURE = new Set<string>(["id", "object", "created", "model", "choices", "usage", ...HEAD_FIELDS]);
const CHOICE_STRUCTURE = new Set(["index", "message", "finish_reason", "logprobs"]);

interface Replay {
  includeUsage: boolean;
  usage: unknown;
}

type Choice = ChatBody["choices"][number];

const pick = (from: Record<string, unknown>, keep: (key: string) => boolean) =>
  Object.fromEntries(Object.entries(from).filter(([key, value]) => keep(key) && value !== null && value !== undefined));

/**
 * Where a choice's logprobs go: content token logprobs with the content chunk and refusal ones with the refusal
 * chunk (the other list null, which an accumulator leaves alone), or, without either chunk, all on the finish chunk.
 */
function logprobsPlan(choice: Choice) {
  const logprobs = choice.logprobs ?? null;
  const content = Boolean(choice.message.content);
  const refusal = Boolean(choice.message.refusal);
  const split = logprobs && content && refusal;
  return {
    content: content ? (split ? { ...logprobs, refusal: null } : logprobs) : null,
    refusal: refusal ? (split ? { ...logprobs, content: null } : logprobs) : null,
    finish: content || refusal ? null : logprobs,
  };
}

/**
 * The chunks OpenAI would have sent for this completion: per choice a role chunk, every other message field
 * (reasoning text, annotations, audio, ...) whole, the content and the refusal (each with its token logprobs), one
 * chunk per tool call (whole arguments), then finish_reason; a usage chunk (`choices: []`) only when the client
 * asked with stream_options.include_usage, and then, as OpenAI does, `"usage": null` on every other chunk.
 * system_fingerprint and service_tier are on every chunk. Each field arrives in one piece: a replay has no reason
 * to dribble. The openai SDK's accumulator (and assemble.ts) turn these chunks back into the stored body.
 */
function chatFrames(body: ChatBody, replay: Replay): string {
  const repeated = pick(body, (key) => (HEAD_FIELDS as readonly string[]).includes(key));
  const head = { id: body.id, object: "chat.completion.chunk", created: body.created, model: body.model, ...repeated };
  const extras = pick(body, (key) => !BODY_STRUCTURE.has(key));
  const tail = replay.includeUsage ? { usage: null } : {};
  const chunk = (index: number, delta: Record<string, unknown>, logprobs: unknown = null) =>
    frame({ ...head, choices: [{ index, delta, logprobs, finish_reason: null }], ...tail });

  let out = "";
  body.choices.forEach((choice, position) => {
    const { message, index } = choice;
    const logprobs = logprobsPlan(choice);
    // As OpenAI opens a stream: `content: ""` (null before tool calls), and `refusal: null` when the message has one.
    const opening: Record<string, unknown> = {
      role: "assistant",
      content: typeof message.content === "string" ? "" : null,
    };
    if ("refusal" in message) opening.refusal = null;
    out += chunk(index, opening);
    for (const [key, value] of Object.entries(message)) {
      if (!MESSAGE_STRUCTURE.has(key) && value !== null && value !== undefined && value !== "")
        out += chunk(index, { [key]: value });
    }
    if (message.content) out += chunk(index, { content: message.content }, logprobs.content);
    if (message.refusal) out += chunk(index, { refusal: message.refusal }, logprobs.refusal);
    message.tool_calls?.forEach((call, n) => {
      const { id, type, function: fn, ...extra } = call;
      out += chunk(index, {
        tool_calls: [{ index: n, id, type, function: { name: fn.name, arguments: fn.arguments }, ...extra }],
      });
    });
    const finish = {
      ...pick(choice, (key) => !CHOICE_STRUCTURE.has(key)),
      index,
      delta: {},
      logprobs: logprobs.finish,
      finish_reason: choice.finish_reason ?? "stop",
    };
    const last = position === body.choices.length - 1;
    out += frame({ ...head, choices: [finish], ...tail, ...(last ? extras : {}) });
  });
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
