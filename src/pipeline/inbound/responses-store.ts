import * as z from "zod";
import { inputItemSchema, type InputItem } from "../../../schema/openai-responses";
import { newId } from "../../../providers/inbound-responses/wire";
import type { AppContext } from "../../context";
import { GatewayError } from "../../errors";
import { openDb } from "../../storage/db";
import { loadStoredResponse, saveStoredResponse, type StoredResponseRow } from "../../storage/stored-responses";

const DAY_MS = 86_400_000;
const rawItems = z.array(z.record(z.string(), z.unknown()));
const parsedItems = z.array(inputItemSchema);

/** Items as the client sent them (JSON objects), kept verbatim so OpenAI can be given them back unchanged. */
export type RawItem = Record<string, unknown>;

/** The prior conversation of a previous_response_id: raw items (for OpenAI) and parsed ones (for chat). */
export interface History {
  row: StoredResponseRow;
  raw: RawItem[];
  items: InputItem[];
}

const ID_PREFIX: Record<string, "msg" | "fc" | "fco"> = {
  message: "msg",
  function_call: "fc",
  function_call_output: "fco",
};

/** The request's own input as raw items, each with an id (input_items lists them by id, as OpenAI does). */
export function ownInputItems(input: unknown): RawItem[] {
  const items: unknown[] =
    typeof input === "string"
      ? [{ type: "message", role: "user", content: [{ type: "input_text", text: input }] }]
      : Array.isArray(input)
        ? input
        : [];
  return items.flatMap((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return [];
    const record = item as RawItem;
    const type = typeof record.type === "string" ? record.type : "message";
    return [typeof record.id === "string" ? record : { id: newId(ID_PREFIX[type] ?? "item"), ...record, type }];
  });
}

const parseJson = (text: string): unknown => JSON.parse(text) as unknown;

/** The items that follow a stored response: its context, its own input, then its output. */
export function conversationOf(row: StoredResponseRow): RawItem[] {
  const response = parseJson(row.response) as { output?: unknown };
  const output = rawItems.safeParse(response.output);
  return [
    ...rawItems.parse(parseJson(row.context)),
    ...rawItems.parse(parseJson(row.inputItems)),
    ...(output.success ? output.data : []),
  ];
}

/** previous_response_id -> the conversation so far; 404 (OpenAI's answer) when this tenant has no such response. */
export async function loadHistory(c: AppContext, scope: string, id: string): Promise<History> {
  const row = await loadStoredResponse(openDb(c.env), scope, id);
  if (!row)
    throw new GatewayError(404, `Previous response with id '${id}' not found.`, {
      param: "previous_response_id",
      code: "previous_response_not_found",
    });
  const raw = conversationOf(row);
  const parsed = parsedItems.safeParse(raw);
  if (!parsed.success) throw new GatewayError(500, "a stored response could not be read", { type: "api_error" });
  return { row, raw, items: parsed.data };
}

export interface ToStore {
  scope: string;
  provider: string;
  native: boolean;
  context: RawItem[];
  input: RawItem[];
  previousResponseId: string | null;
  /** The response object as the client got it (its `id` is the row's id). */
  response: { id: string } & Record<string, unknown>;
}

/** Writes a response; a failed write is logged, never the client's failure (the answer is already valid). */
export async function storeResponse(c: AppContext, entry: ToStore): Promise<void> {
  const now = Date.now();
  const row: StoredResponseRow = {
    scope: entry.scope,
    id: entry.response.id,
    createdAt: new Date(now),
    expiresAt: new Date(now + c.var.settings.storedResponsesRetentionDays * DAY_MS),
    provider: entry.provider,
    native: entry.native,
    previousResponseId: entry.previousResponseId,
    context: JSON.stringify(entry.context),
    inputItems: JSON.stringify(entry.input),
    response: JSON.stringify(entry.response),
  };
  await saveStoredResponse(openDb(c.env), row).catch((error: unknown) =>
    console.error("responses: storing a response failed", error instanceof Error ? error.message : error),
  );
}
