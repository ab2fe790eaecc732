import { app } from "./app";

// Durable Object classes must be exported by the Worker's main module.
export { CircuitBreaker } from "./routing/breaker/durable-object";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
