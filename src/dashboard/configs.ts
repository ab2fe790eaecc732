import { Hono } from "hono";
import { archiveConfig, requireConfig } from "../configs/service";
import { openDb } from "../storage/db";
import { configHref } from "./config-views";
import { createFromForm, detailPage, listPage, newVersionFromForm } from "./config-handlers";
import { sessionOf, type DashboardEnv } from "./context";
import { requireAdminRole } from "./guard";

/** Saved configs: list, versions, create and new versions (validated as /admin/configs does), archive. */
export const configPages = new Hono<DashboardEnv>();

configPages.use("/*", async (c, next) => (c.req.method === "GET" ? next() : requireAdminRole()(c, next)));
configPages.get("/", (c) => listPage(c));
configPages.post("/", createFromForm);
configPages.get("/:id", (c) => detailPage(c));
configPages.get("/:id/versions/:version", (c) => detailPage(c));
configPages.post("/:id", newVersionFromForm);

configPages.post("/:id/archive", async (c) => {
  const db = openDb(c.env);
  const current = await requireConfig(db, c.req.param("id"), true);
  const row = await archiveConfig(db, sessionOf(c).session.actor, current);
  return c.redirect(configHref(row), 303);
});
