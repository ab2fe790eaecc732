import { app } from "./app";
import { consumeLogBatch } from "./observability/consumer";

// Durable Object classes must be exported by the Worker's main module.
export { CircuitBreaker } from "./routing/breaker/durable-object";
export { GovernanceLimiter } from "./governance/limits/durable-object";

export default {
  fetch: app.fetch,
  // LOG_QUEUE consumer: request logs into D1, rollups, OTLP export, budget alerts (src/observability/consumer.ts).
  queue: (batch, env) => consumeLogBatch(batch, env),
} satisfies ExportedHandler<Env>;
