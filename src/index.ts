import { app } from "./app";
import { consumeLogBatch } from "./observability/consumer";
import { deleteExpiredResponses } from "./storage/stored-responses";

// Durable Object classes must be exported by the Worker's main module.
export { CircuitBreaker } from "./routing/breaker/durable-object";
export { GovernanceLimiter } from "./governance/limits/durable-object";

export default {
  fetch: app.fetch,
  // LOG_QUEUE consumer: request logs into D1, rollups, OTLP export, budget alerts (src/observability/consumer.ts).
  queue: (batch, env) => consumeLogBatch(batch, env),
  // Cron (wrangler.toml [triggers]): the retention sweep of stored responses (/v1/responses, store: true).
  scheduled: async (_controller, env) => {
    await deleteExpiredResponses(env.DB);
  },
} satisfies ExportedHandler<Env>;
