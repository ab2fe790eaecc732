import { Hono } from "hono";
import { admin } from "./admin";
import { dashboard } from "./dashboard";
import { metrics } from "./admin/metrics";
import type { AppEnv } from "./context";
import { GatewayError } from "./errors";
import { requestContext } from "./middleware/request-context";
import { v1Middleware } from "./pipeline";
import { errorResponse } from "./pipeline/error-response";
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

app.onError(errorResponse);
