import { createMiddleware } from "hono/factory";
import { emptyOutcome, type AppEnv } from "../context";
import { settingsOf } from "../settings";

const TRACE_ID = /^[\w.:-]{1,128}$/;

/** Trace id (echoed or generated), arrival time and an empty outcome for every request. */
export const requestContext = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set("startedAt", performance.now());
    c.set("settings", settingsOf(c.env));
    const incoming = c.req.header("x-portkey-trace-id");
    const traceId = incoming && TRACE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("traceId", traceId);
    c.set("outcome", emptyOutcome());
    await next();
    c.res.headers.set("x-portkey-trace-id", traceId);
    const provider = c.var.outcome.route.provider;
    if (provider) c.res.headers.set("x-portkey-provider", provider);
  });
