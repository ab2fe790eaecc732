import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

/** `Server-Timing`: the upstream's time to response headers, and the gateway's own time around it. */
export const serverTiming = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const total = performance.now() - c.var.startedAt;
    const upstream = c.var.outcome.route.upstreamMs;
    const parts =
      upstream === undefined
        ? [`gateway;dur=${total.toFixed(2)}`]
        : [`gateway;dur=${Math.max(0, total - upstream).toFixed(2)}`, `upstream;dur=${upstream.toFixed(2)}`];
    c.res.headers.set("server-timing", parts.join(", "));
  });
