import { Hono } from "hono";
import { adminKeyRoutes } from "./admin-keys";
import { auditRoutes } from "./audit-log";
import { adminAuth } from "./auth";
import { analyticsRoutes } from "./analytics";
import { cacheRoutes } from "./cache";
import { configRoutes } from "./configs";
import { guardrailRoutes } from "./guardrails";
import type { AdminEnv } from "./context";
import { keyRoutes } from "./keys";
import { logRoutes } from "./logs";
import { promptRoutes } from "./prompts";
import { virtualKeyRoutes } from "./virtual-keys";

/**
 * The admin API (/admin/*). Every route is behind adminAuth(); mount new resources here (keys, virtual keys...)
 * and record their changes with auditInsert() in the same D1 batch. A new resource is admin-scope only until its
 * read-only routes are listed in src/admin/scopes.ts.
 */
export const admin = new Hono<AdminEnv>();

admin.use("*", adminAuth());
admin.route("/configs", configRoutes);
admin.route("/guardrails", guardrailRoutes);
admin.route("/prompts", promptRoutes);
admin.route("/keys", keyRoutes);
admin.route("/virtual-keys", virtualKeyRoutes);
admin.route("/logs", logRoutes);
admin.route("/analytics", analyticsRoutes);
admin.route("/cache", cacheRoutes);
admin.route("/admin-keys", adminKeyRoutes);
admin.route("/audit", auditRoutes);
