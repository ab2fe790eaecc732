import type { z } from "zod";
import type { AppContext } from "../context";
import { GatewayError, badRequest } from "../errors";

const tooLarge = (limit: number) =>
  new GatewayError(413, `request body exceeds the limit of ${limit} bytes`, { code: "request_too_large" });

/** Read the body as text, refusing more than the limit without reading it all when Content-Length says so. */
async function readLimitedText(c: AppContext): Promise<string> {
  const limit = c.var.settings.maxBodyBytes;
  const lengthHeader = c.req.header("content-length");
  const declared = lengthHeader === undefined ? Number.NaN : Number(lengthHeader);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  // With a Content-Length the runtime delivers exactly that many bytes, so one native read is safe and cheaper
  // than pumping the stream in JS; only chunked bodies need counting as they arrive.
  if (Number.isFinite(declared)) return c.req.raw.text();
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** `messages[0].content: Invalid input` reads better than zod's default dump. */
export function describeIssue(issue: z.core.$ZodIssue, root = ""): { message: string; param: string } {
  let path = root;
  for (const segment of issue.path) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path ? `.${String(segment)}` : String(segment);
  }
  const param = path || "(body)";
  return { message: `${param}: ${issue.message}`, param };
}

/** The client's exact body text per parsed body, so a provider that needs no change gets it byte for byte. */
const rawTexts = new WeakMap<object, string>();

export function rawTextOf(json: unknown): string | undefined {
  return typeof json === "object" && json !== null ? rawTexts.get(json) : undefined;
}

/** Read and parse the body once: 413 past the size limit, 400 when empty or not JSON. */
export async function readJson(c: AppContext): Promise<unknown> {
  const text = await readLimitedText(c);
  if (text.trim() === "") throw badRequest("request body is empty: expected a JSON object", null, "invalid_body");
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === "object" && json !== null) rawTexts.set(json, text);
    return json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : "parse error";
    throw badRequest(`request body is not valid JSON (${reason})`, null, "invalid_json");
  }
}

/**
 * Validate a parsed body against an operation's schema, 400 naming the field on failure. `overrides` (a target's
 * override_params) are merged in first, so the merged body is what gets validated.
 */
export function validateJsonBody<T extends z.ZodType>(
  schema: T,
  json: unknown,
  overrides?: Record<string, unknown>,
): z.infer<T> {
  const merged =
    overrides && typeof json === "object" && json !== null && !Array.isArray(json) ? { ...json, ...overrides } : json;
  const result = schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (!issue) throw badRequest("invalid request body", null, "invalid_body");
    const { message, param } = describeIssue(issue);
    throw badRequest(message, param, "invalid_body");
  }
  return result.data;
}

/** Read, parse and validate a JSON body in one go (see readJson and validateJsonBody). */
export async function readJsonBody<T extends z.ZodType>(
  c: AppContext,
  schema: T,
  overrides?: Record<string, unknown>,
): Promise<z.infer<T>> {
  return validateJsonBody(schema, await readJson(c), overrides);
}
