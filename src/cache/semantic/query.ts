import type { CacheRequest } from "../request";

export interface SemanticQuery {
  /** The last user turn's text: what gets embedded. */
  text: string;
  /** Everything else that shapes the answer; its hash names the partition. */
  context: unknown;
}

function textOf(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const part of content) {
    // An image, audio or file part would be invisible to a text embedding: such a turn is exact-match only.
    if (typeof part !== "object" || part === null || (part as { type?: unknown }).type !== "text") return null;
    const text = (part as { text?: unknown }).text;
    if (typeof text !== "string") return null;
    parts.push(text);
  }
  return parts.join("\n");
}

/**
 * Split a chat request into the part a semantic match may differ in (the last user turn's text) and the part it
 * may not (system prompt, earlier turns, the last turn's other fields, every parameter, the model and target).
 * Null when the request is not eligible: not chat, or the conversation does not end with a text-only user turn.
 */
export function semanticQuery(request: CacheRequest, embedderId: string): SemanticQuery | null {
  if (request.operation !== "chat") return null;
  const { body } = request.identity;
  const messages = body.messages;
  if (!Array.isArray(messages)) return null;
  const last: unknown = messages.at(-1);
  if (typeof last !== "object" || last === null || (last as { role?: unknown }).role !== "user") return null;
  const text = textOf((last as { content?: unknown }).content);
  if (text === null || text.trim() === "") return null;
  const context = {
    v: 1,
    embedder: embedderId,
    ...request.identity,
    body: { ...body, messages: [...messages.slice(0, -1), { ...last, content: null }] },
  };
  return { text, context };
}
