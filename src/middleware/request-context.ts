import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

const TRACE_ID = /^[\w.:-]{1,128}$/;

/** Trace id (echoed or generated), arrival time and an empty outcome for every request. */
export const requestContext = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set("startedAt", performance.now());
    const incoming = c.req.header("x-portkey-trace-id");
    const traceId = incoming && TRACE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("traceId", traceId);
    c.set("outcome", { stream: false });
    await next();
    c.res.headers.set("x-portkey-trace-id", traceId);
    const provider = c.var.outcome.provider;
    if (provider) c.res.headers.set("x-portkey-provider", provider);
  });

/** `Server-Timing`: the upstream's time to response headers, and the gateway's own time around it. */
export const serverTiming = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const total = performance.now() - c.var.startedAt;
    const upstream = c.var.outcome.upstreamMs;
    const parts =
      upstream === undefined
        ? [`gateway;dur=${total.toFixed(2)}`]
        : [`gateway;dur=${Math.max(0, total - upstream).toFixed(2)}`, `upstream;dur=${upstream.toFixed(2)}`];
    c.res.headers.set("server-timing", parts.join(", "));
  });
