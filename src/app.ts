import { Hono } from "hono";
import { admin } from "./admin";
import { metrics } from "./admin/metrics";
import type { AppEnv } from "./context";
import { GatewayError, toGatewayError } from "./errors";
import { gatewayAuth } from "./governance/auth";
import { requestContext, serverTiming } from "./middleware/request-context";
import { requestLogger } from "./observability/middleware";
import { health } from "./routes/health";
import { v1 } from "./routes/v1";

export const app = new Hono<AppEnv>();

app.use("*", requestContext());
// Right after requestContext: one log event for every /v1 request, whatever stops it later (auth, limits, 404).
app.use("/v1/*", requestLogger());
app.use("/v1/*", serverTiming());
// Every /v1 request needs a gateway key unless PASSTHROUGH_MODE is "true" (src/governance/auth.ts).
app.use("/v1/*", gatewayAuth());
app.route("/", health);
app.route("/v1", v1);
app.route("/admin", admin);
app.route("/metrics", metrics);

app.notFound((c) =>
  c.json(
    new GatewayError(404, `no route for ${c.req.method} ${c.req.path}`, { code: "route_not_found" }).toBody(),
    404,
  ),
);

/** The one place errors become responses: the OpenAI envelope, never a stack trace or a secret. */
app.onError((error, c) => {
  const gatewayError = toGatewayError(error);
  const outcome = c.var.outcome;
  if (outcome) {
    outcome.status = gatewayError.status;
    outcome.errorType = gatewayError.type;
    outcome.errorMessage = gatewayError.message;
  }
  return c.json(gatewayError.toBody(), gatewayError.status, gatewayError.extraHeaders);
});
