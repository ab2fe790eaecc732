import { Hono } from "hono";
import { archiveGuardrail, requireGuardrail } from "../configs/guardrail-service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardEnv } from "./context";
import { requireAdminRole } from "./guard";
import { guardrailHref } from "./guardrail-forms";
import { createFromForm, detailPage, listPage, newVersionFromForm } from "./guardrail-handlers";

/**
 * Saved guardrails: list, versions, create, new version, archive (validated as /admin/guardrails does). Bodies are
 * shown through the admin API's presenter, so webhook headers are masked exactly as GET /admin/guardrails masks them.
 */
export const guardrailPages = new Hono<DashboardEnv>();

guardrailPages.use("/*", async (c, next) => (c.req.method === "GET" ? next() : requireAdminRole()(c, next)));
guardrailPages.get("/", (c) => listPage(c));
guardrailPages.post("/", createFromForm);
guardrailPages.get("/:id", (c) => detailPage(c));
guardrailPages.get("/:id/versions/:version", (c) => detailPage(c));
guardrailPages.post("/:id", newVersionFromForm);

guardrailPages.post("/:id/archive", async (c) => {
  const db = openDb(c.env);
  const current = await requireGuardrail(db, c.req.param("id"), true);
  const row = await archiveGuardrail(db, sessionOf(c).session.actor, current);
  return c.redirect(guardrailHref(row), 303);
});
