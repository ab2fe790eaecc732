import type { z } from "zod";
import { badRequest } from "../errors";
import { describeIssue } from "../lib/body";

/** Validate a value (query, path parameter) against a schema: 400 naming the field on failure. */
export function parseOrBadRequest<T extends z.ZodType>(schema: T, value: unknown, root = ""): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw badRequest("invalid request", root || null, "invalid_request");
  const { message, param } = describeIssue(issue, root);
  throw badRequest(message, param, "invalid_request");
}
