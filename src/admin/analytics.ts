import { Hono } from "hono";
import { analyticsQuerySchema } from "../observability/admin-queries";
import { analytics } from "../observability/analytics";
import { analyticsMetadataKey } from "../observability/settings";
import type { AdminEnv } from "./context";
import { promptAnalyticsResponse } from "./prompt-analytics";
import { openDb } from "../storage/db";
import { parseOrBadRequest } from "./validate";

/**
 * /admin/analytics?group_by=provider|model|key|virtual_key|user|metadata.<k>&interval=hour|day&from&to: totals and
 * time series from the hourly rollups (never a scan of the logs).
 */
export const analyticsRoutes = new Hono<AdminEnv>();

analyticsRoutes.get("/", async (c) => {
  if (c.req.query("group_by") === "prompt_version") return promptAnalyticsResponse(c);
  const query = parseOrBadRequest(analyticsQuerySchema, c.req.query());
  return c.json(await analytics(openDb(c.env), query, analyticsMetadataKey(c.env)));
});
