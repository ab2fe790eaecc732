/**
 * OpenAI chat-completion SSE streams for the guardrail and restore tests: frames built per choice, and the reader
 * that takes a recorded stream apart again (each choice's text, the tool-call arguments). One copy for the unit and
 * the workerd integration tests.
 */

/** `frame(index, delta, finish)` of one stream: every frame carries the same id and model, as a provider's do. */
export function chatFrames(id: string) {
  const base = { id, object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
  return (index: number, delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index, delta, finish_reason: finish }] })}\n\n`;
}

interface StreamChoice {
  index: number;
  finish_reason?: string | null;
  delta?: { content?: string | null; tool_calls?: { index?: number; function?: { arguments?: string } }[] };
}

/** Every `data:` payload in order, `[DONE]` included. */
export const sseData = (text: string): string[] =>
  text
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => frame.slice("data: ".length));

/** The choices of every chunk, in order, for one choice index or all of them. */
export function streamChoices(text: string, index?: number): StreamChoice[] {
  return sseData(text)
    .filter((data) => data !== "[DONE]")
    .flatMap((data) => (JSON.parse(data) as { choices?: StreamChoice[] }).choices ?? [])
    .filter((choice) => index === undefined || choice.index === index);
}

/** One choice's text as the client would join it. */
export const choiceText = (text: string, index: number): string =>
  streamChoices(text, index)
    .map((choice) => choice.delta?.content ?? "")
    .join("");

/** The tool-call argument fragments joined (of one choice, or of all). */
export const toolArguments = (text: string, index?: number): string =>
  streamChoices(text, index)
    .flatMap((choice) => choice.delta?.tool_calls ?? [])
    .map((call) => call.function?.arguments ?? "")
    .join("");

/** A body that delivers `bytes` cut at the given offsets, each piece its own network chunk. */
export function cutBody(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const bounds = [0, ...cuts.filter((cut) => cut > 0 && cut < bytes.length), bytes.length];
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= bounds.length - 1) return controller.close();
      controller.enqueue(bytes.slice(bounds[i], bounds[i + 1]));
      i++;
    },
  });
}
