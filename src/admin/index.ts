import { Hono } from "hono";
import { adminAuth } from "./auth";
import { configRoutes } from "./configs";
import type { AdminEnv } from "./context";

/**
 * The admin API (/admin/*). Every route is behind adminAuth(); mount new resources here (keys, virtual keys...)
 * and record their changes with auditInsert() in the same D1 batch.
 */
export const admin = new Hono<AdminEnv>();

admin.use("*", adminAuth());
admin.route("/configs", configRoutes);
