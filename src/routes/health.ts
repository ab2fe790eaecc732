import { Hono } from "hono";
import type { AppEnv } from "../context";

/** Liveness: the isolate answers. */
export const health = new Hono<AppEnv>()
  .get("/health", (c) => c.json({ status: "ok" }))
  // Readiness: configuration the request path depends on is present and sane.
  .get("/ready", (c) => {
    const checks = { max_body_bytes: Number(c.env.MAX_BODY_BYTES) > 0 };
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
  });
