import * as z from "zod";
import { analyticsQuerySchema } from "../observability/admin-queries";
import { windowOf } from "../observability/analytics";
import { promptVersionAnalytics } from "../observability/prompt-analytics";
import { requirePrompt } from "../prompts/service";
import { openDb } from "../storage/db";
import type { AdminContext } from "./context";
import { parseOrBadRequest } from "./validate";

/** ?group_by=prompt_version&prompt=<slug or id>: the generic query's window parameters, plus the prompt. */
const promptAnalyticsQuerySchema = analyticsQuerySchema.omit({ group_by: true }).extend({
  group_by: z.literal("prompt_version"),
  prompt: z.string().min(1, "required with group_by=prompt_version").max(256),
});

/** GET /admin/analytics?group_by=prompt_version&prompt=<slug>: requests, errors, tokens, cost, latency per version. */
export async function promptAnalyticsResponse(c: AdminContext): Promise<Response> {
  const query = parseOrBadRequest(promptAnalyticsQuerySchema, c.req.query());
  const db = openDb(c.env);
  const prompt = await requirePrompt(db, query.prompt);
  return c.json(await promptVersionAnalytics(db, prompt, windowOf(query, Date.now())));
}
