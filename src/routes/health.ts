import { Hono } from "hono";
import type { AppEnv } from "../context";
import type { Settings } from "../settings";

/** Readiness checks never hang: each gets this long before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(run: () => Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([
      run().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness (docs/contract.md: bindings reachable): configuration the request path depends on is sane, D1 answers and
 * has the gateway's tables (migrations applied), KV answers, and the Durable Object and queue bindings exist
 * (binding a queue or a namespace is all a deployment can get wrong about them; their calls are not free).
 */
async function readiness(env: Env, settings: Settings) {
  const [d1, kv] = await Promise.all([
    check(() => env.DB.prepare("SELECT 1 FROM gateway_keys LIMIT 1").all()),
    check(() => env.CACHE.get("ready:probe")),
  ]);
  return {
    max_body_bytes: !settings.problems.some((problem) => problem.name === "MAX_BODY_BYTES"),
    d1,
    kv,
    durable_objects:
      typeof env.GOVERNANCE_LIMITER?.idFromName === "function" && typeof env.CIRCUIT_BREAKER?.idFromName === "function",
    log_queue: typeof env.LOG_QUEUE?.sendBatch === "function",
  };
}

/** Liveness: the isolate answers. */
export const health = new Hono<AppEnv>()
  .get("/health", (c) => c.json({ status: "ok" }))
  .get("/ready", async (c) => {
    const checks = await readiness(c.env, c.var.settings);
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
  });
