/*
 * The answer text of the native front doors' JSON answers, for output hooks (guardrail-text.ts asks here when an
 * answer has no `choices`): Anthropic's message (`content` text blocks) and OpenAI's response (`output_text` parts
 * of its `message` items). A rewrite works as for chat: the judged text parts become one part at the first one's
 * place, other blocks (tool_use, reasoning, ...) are kept; a restoration replaces placeholders in every text part.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Where one native format keeps the answer's text parts. */
interface NativeShape {
  /** The content lists that hold the text parts (one for Anthropic, one per message item for Responses). */
  lists: (json: Json) => unknown[][];
  /** The same answer with those lists replaced, in order. */
  withLists: (json: Json, lists: unknown[][]) => Json;
  textType: string;
}

const anthropicMessage: NativeShape = {
  lists: (json) => [json.content as unknown[]],
  withLists: (json, [content]) => ({ ...json, content }),
  textType: "text",
};

const isMessageItem = (item: unknown): item is Json => isObject(item) && item.type === "message";

const responsesResponse: NativeShape = {
  lists: (json) => (json.output as unknown[]).flatMap((item) => (isMessageItem(item) ? [asList(item.content)] : [])),
  withLists: (json, lists) => {
    let i = 0;
    const output = (json.output as unknown[]).map((item) =>
      isMessageItem(item) ? { ...item, content: lists[i++] ?? item.content } : item,
    );
    return { ...json, output };
  },
  textType: "output_text",
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function shapeOf(json: Json): NativeShape | null {
  if (json.type === "message" && Array.isArray(json.content)) return anthropicMessage;
  if (json.object === "response" && Array.isArray(json.output)) return responsesResponse;
  return null;
}

const textParts = (list: unknown[], textType: string): Json[] =>
  list.filter((part): part is Json => isObject(part) && part.type === textType && typeof part.text === "string");

/** The native answer's text (its text parts joined by newlines), or null when the answer is not a native one. */
export function nativeOutputText(json: Json): string | null {
  const shape = shapeOf(json);
  if (!shape) return null;
  const parts = shape.lists(json).flatMap((list) => textParts(list, shape.textType));
  return parts.map((part) => String(part.text)).join("\n");
}

/** The native answer with its judged text replaced (an output redaction), or null when it is not a native one. */
export function withNativeOutputText(json: Json, text: string): Json | null {
  const shape = shapeOf(json);
  if (!shape) return null;
  let placed = false;
  const lists = shape.lists(json).map((list) =>
    list.flatMap((part) => {
      if (!textParts([part], shape.textType).length) return [part];
      if (placed) return [];
      placed = true;
      return [{ ...(part as Json), text }];
    }),
  );
  return shape.withLists(json, lists);
}

/** The native answer with `map` applied to every text part, or null when it is not a native one. */
export function mapNativeText(json: Json, map: (text: string) => string): Json | null {
  const shape = shapeOf(json);
  if (!shape) return null;
  const lists = shape
    .lists(json)
    .map((list) =>
      list.map((part) =>
        textParts([part], shape.textType).length ? { ...(part as Json), text: map(String((part as Json).text)) } : part,
      ),
    );
  return shape.withLists(json, lists);
}
