import { inputItemsQuerySchema } from "../../../schema/openai-responses";
import type { AppContext } from "../../context";
import { GatewayError } from "../../errors";
import { validateJsonBody } from "../../lib/body";
import { openDb } from "../../storage/db";
import { deleteStoredResponse, loadStoredResponse, type StoredResponseRow } from "../../storage/stored-responses";
import type { RawItem } from "./responses-store";
import { responsesScope } from "./responses-tenant";

/**
 * `GET /v1/responses/{id}`, `DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items`: stored
 * responses, read through the caller's tenant scope only, so another tenant's id is a 404 like an unknown one.
 */

const notFound = (id: string) =>
  new GatewayError(404, `Response with id '${id}' not found.`, {
    type: "invalid_request_error",
    param: "response_id",
    code: "response_not_found",
  });

async function rowOf(c: AppContext): Promise<StoredResponseRow> {
  const id = c.req.param("id") ?? "";
  const row = await loadStoredResponse(openDb(c.env), await responsesScope(c), id);
  if (!row) throw notFound(id);
  return row;
}

const jsonResponse = (text: string): Response =>
  new Response(text, { status: 200, headers: { "content-type": "application/json" } });

export async function getStoredResponse(c: AppContext): Promise<Response> {
  return jsonResponse((await rowOf(c)).response);
}

export async function deleteResponse(c: AppContext): Promise<Response> {
  const id = c.req.param("id") ?? "";
  if (!(await deleteStoredResponse(openDb(c.env), await responsesScope(c), id))) throw notFound(id);
  return c.json({ id, object: "response.deleted", deleted: true });
}

/** OpenAI's cursor list: `order` (desc by default), `after` an item id, `limit` 1-100 (20). */
export async function listInputItems(c: AppContext): Promise<Response> {
  const query = validateJsonBody(inputItemsQuerySchema, c.req.query());
  const row = await rowOf(c);
  const items = JSON.parse(row.inputItems) as RawItem[];
  const ordered = query.order === "asc" ? items : [...items].reverse();
  const start = query.after === undefined ? 0 : ordered.findIndex((item) => item.id === query.after) + 1;
  if (start === 0 && query.after !== undefined)
    throw new GatewayError(400, `after: no input item with id '${query.after}'`, { param: "after" });
  const data = ordered.slice(start, start + query.limit);
  const id = (item: RawItem | undefined) => (typeof item?.id === "string" ? item.id : null);
  return c.json({
    object: "list",
    data,
    first_id: id(data[0]),
    last_id: id(data.at(-1)),
    has_more: start + query.limit < ordered.length,
  });
}
