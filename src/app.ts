import { Hono } from "hono";
import { admin } from "./admin";
import { dashboard } from "./dashboard";
import { metrics } from "./admin/metrics";
import type { AppEnv } from "./context";
import { GatewayError, toGatewayError } from "./errors";
import { requestContext } from "./middleware/request-context";
import { v1Middleware } from "./pipeline";
import { health } from "./routes/health";
import { v1 } from "./routes/v1";

export const app = new Hono<AppEnv>();

app.use("*", requestContext());
// Right after requestContext: logging (one event per /v1 request, whatever stops it later), Server-Timing and
// authentication, in that order (src/pipeline/index.ts).
app.use("/v1/*", ...v1Middleware());
app.route("/", health);
app.route("/v1", v1);
app.route("/admin", admin);
app.route("/metrics", metrics);
app.route("/dashboard", dashboard);

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
    outcome.error = { status: gatewayError.status, type: gatewayError.type, message: gatewayError.message };
  }
  // An inbound format (/v1/messages) answers in its own envelope (pipeline/inbound/dialect.ts); OpenAI's otherwise.
  const body = c.var.errorDialect?.(gatewayError) ?? gatewayError.toBody();
  return c.json(body, gatewayError.status, gatewayError.extraHeaders);
});
