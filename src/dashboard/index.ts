import { Hono } from "hono";
import { staticRoutes } from "./assets";
import type { DashboardEnv } from "./context";
import { requireSession } from "./guard";
import { keyEditPages } from "./key-edit";
import { virtualKeyPages } from "./virtual-key-forms";
import { keyPages } from "./keys";
import { logPages } from "./logs";
import { overviewRoutes } from "./overview";
import { securityHeaders } from "./security";
import { signInRoutes } from "./sign-in";
import { usagePages } from "./usage";
import { configPages } from "./configs";
import { promptEditPages } from "./prompt-edit";
import { promptPages } from "./prompts";
import { playgroundComparePages } from "./playground-compare";
import { sessionPages } from "./sessions";
import { guardrailPages } from "./guardrails";

/**
 * /dashboard: server-rendered pages over the admin API's own domain functions (analytics, logs, keys, configs).
 * Static files and sign-in are open; every other page needs a session cookie (docs/dashboard.md).
 */
export const dashboard = new Hono<DashboardEnv>();

dashboard.use("*", securityHeaders());
dashboard.route("/static", staticRoutes);
dashboard.route("/", signInRoutes);

const pages = new Hono<DashboardEnv>();
pages.use("*", requireSession());
pages.route("/", overviewRoutes);
pages.route("/usage", usagePages);
pages.route("/logs", logPages);
pages.route("/keys/virtual", virtualKeyPages);
pages.route("/keys", keyEditPages);
pages.route("/keys", keyPages);
pages.route("/configs", configPages);
pages.route("/prompts", playgroundComparePages);
pages.route("/prompts", promptEditPages);
pages.route("/prompts", promptPages);
pages.route("/guardrails", guardrailPages);
pages.route("/sessions", sessionPages);
dashboard.route("/", pages);
