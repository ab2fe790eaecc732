import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError } from "./common";

/** Our operation names to Portkey's request types, so either spelling works in a config. */
const PORTKEY_TYPES: Record<string, string> = {
  chat: "chatComplete",
  completions: "complete",
  embeddings: "embed",
  messages: "messages",
  responses: "createModelResponse",
};
const requestType = (name: string): string => PORTKEY_TYPES[name] ?? name;

/** A list, or Portkey's comma-separated string form. */
const typeList = z
  .union([z.array(z.string().min(1)), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(",")).map((t) => requestType(t.trim())).filter(Boolean),
  );

const parameters = z
  .strictObject({ allowedTypes: typeList.optional(), blockedTypes: typeList.optional(), failOnError })
  .superRefine((p, ctx) => {
    const conflicts = (p.allowedTypes ?? []).filter((type) => p.blockedTypes?.includes(type));
    if (conflicts.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["blockedTypes"],
        message: `also in allowedTypes: ${conflicts.join(", ")}`,
      });
    }
  });

/** Without parameters, Portkey reads the lists from metadata (`supported_endpoints`, `blocked_endpoints`). */
const fromMetadata = (value: string | undefined): string[] =>
  value === undefined
    ? []
    : value
        .split(",")
        .map((t) => requestType(t.trim()))
        .filter(Boolean);

/** Passes when the operation is not blocked and, when an allowlist is given, in it. */
export const allowedRequestTypes: CheckDefinition<typeof parameters> = {
  id: "default.allowedRequestTypes",
  parameters,
  phases: ["input"],
  run(context, p) {
    const current = requestType(context.operation);
    const allowed = p.allowedTypes?.length ? p.allowedTypes : fromMetadata(context.metadata.supported_endpoints);
    const blocked = p.blockedTypes?.length ? p.blockedTypes : fromMetadata(context.metadata.blocked_endpoints);
    const verdict = !blocked.includes(current) && (allowed.length === 0 || allowed.includes(current));
    return { verdict, data: { currentRequestType: current, allowedTypes: allowed, blockedTypes: blocked } };
  },
};
