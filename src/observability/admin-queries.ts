import * as z from "zod";
import { pageQuerySchema } from "../../schema/admin";
import { METADATA_KEY_PATTERN } from "./settings";

/** Query strings of GET /admin/logs and GET /admin/analytics. Unknown parameters are a 400 (a typo must not widen a query). */

/** An ISO 8601 time (with offset or Z) or epoch milliseconds. */
export const timeParamSchema = z.string().transform((raw, ctx) => {
  const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "expected an ISO 8601 time or epoch milliseconds" });
    return z.NEVER;
  }
  return ms;
});

const id = z.string().min(1).max(256);

export const logsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  from: timeParamSchema.optional(),
  to: timeParamSchema.optional(),
  key: id.optional(),
  virtual_key: id.optional(),
  provider: id.optional(),
  model: id.optional(),
  user: id.optional(),
  trace_id: id.optional(),
  status: z
    .string()
    .regex(/^([1-5]\d\d|[1-5]xx|error|success)$/, "expected a status (429), a class (4xx) or `error` / `success`")
    .optional(),
});

export type LogsQuery = z.infer<typeof logsQuerySchema>;

export const GROUP_BY_DIMENSIONS = ["provider", "model", "key", "virtual_key", "user"] as const;

export const analyticsQuerySchema = z.strictObject({
  group_by: z
    .string()
    .refine(
      (value) =>
        (GROUP_BY_DIMENSIONS as readonly string[]).includes(value) ||
        (value.startsWith("metadata.") && METADATA_KEY_PATTERN.test(value.slice(9))),
      `expected one of ${GROUP_BY_DIMENSIONS.join(", ")}, metadata.<key> (a key of 1 to 64 characters A-Z a-z 0-9 _ . -)`,
    )
    .optional(),
  interval: z.enum(["hour", "day"]).default("day"),
  from: timeParamSchema.optional(),
  to: timeParamSchema.optional(),
  /** How many groups to detail (by cost, then requests); totals always cover all of them. */
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

const MAX_METADATA_FILTERS = 8;

/** `metadata.<k>=<v>` parameters, split from the rest (their names are open-ended). */
export function splitMetadataFilters(query: Record<string, string>): {
  rest: Record<string, string>;
  metadata: Array<[string, string]>;
  bad?: string;
} {
  const rest: Record<string, string> = {};
  const metadata: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(query)) {
    if (!name.startsWith("metadata.")) {
      rest[name] = value;
      continue;
    }
    const key = name.slice("metadata.".length);
    if (!METADATA_KEY_PATTERN.test(key) || metadata.length >= MAX_METADATA_FILTERS)
      return { rest, metadata, bad: name };
    metadata.push([key, value]);
  }
  return { rest, metadata };
}
