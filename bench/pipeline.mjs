// Which gateway pipeline stages a bench run exercises, and how.
//
// The gateway is hosted with the Miniflare options wrangler derives from wrangler.toml, so a stage that needs a
// binding (KV, D1, Durable Object, Queue) gets a real local one as soon as the binding is in wrangler.toml, and D1
// migrations are applied before the run. Some stages also need the client to do something (a gateway key to
// authenticate with, a cache config): that goes in the stage's `prepare`, which returns headers to add to every
// gateway request. Every request body is unique (a counter in the user message), so with a cache on, every
// request takes the miss path.
//
// A stage is reported as:
//   on                    it runs on every benchmarked gateway request;
//   bound, NOT exercised  its bindings exist but the bench does not drive it yet: write its `prepare`;
//   off                   its bindings are absent (not built yet, or not configured).
// Bindings no stage claims are listed too, so nothing the gateway is bound to goes unmentioned.

const names = (record) => (Array.isArray(record) ? record : Object.keys(record ?? {}));
const doClass = (wo, name) => {
  const designator = wo.durableObjects?.[name];
  return typeof designator === "string" ? designator : (designator?.className ?? "");
};

/**
 * @typedef {object} StageContext
 * @property {(path: string, init?: RequestInit) => Promise<Response>} gatewayFetch  fetch against the hosted gateway
 * @property {import("miniflare").Miniflare} mf  the gateway's Miniflare (getD1Database, getKVNamespace, ...)
 * @property {Record<string, unknown>} bindings  the gateway's plain vars
 * @property {string} upstreamOrigin  the mock upstream, e.g. http://127.0.0.1:1234
 *
 * @typedef {object} Stage
 * @property {string} id
 * @property {string} label
 * @property {(workerOptions: any) => string[] | null} detect  the bindings this stage uses, or null when it is off
 * @property {boolean} needsPrepare  the client must set something up for the stage to run
 * @property {(ctx: StageContext) => Promise<{ headers?: Record<string, string> }>} [prepare]
 * @property {string} [note]  what the figures include or not
 */

/** @type {Stage[]} */
export const STAGES = [
  {
    id: "core",
    label: "core: validation + translation + SSE transform",
    detect: () => [],
    needsPrepare: false,
  },
  {
    id: "routing",
    label: "routing engine, single target from headers",
    detect: (wo) => names(wo.durableObjects).filter((b) => doClass(wo, b) === "CircuitBreaker"),
    needsPrepare: false,
    note: "circuit breakers (Durable Object) are consulted only for configs with several targets",
  },
  {
    id: "governance",
    label: "gateway-key auth + admission (rate limit / budget Durable Object)",
    // BENCH_GOVERNANCE=off: requests carry no gateway key (the bench gateway runs with passthrough allowed).
    detect: (wo) => {
      const admission = names(wo.durableObjects).filter((b) => doClass(wo, b) === "GovernanceLimiter");
      return admission.length > 0 && process.env.BENCH_GOVERNANCE !== "off" ? admission : null;
    },
    needsPrepare: true,
    // A gateway key with every limit set (high enough never to refuse), so each request is authenticated and
    // admitted by its limiter Durable Object (rpm, tpm and a budget reservation, settled after the response).
    // The provider key stays in Authorization (the key goes in x-portkey-api-key): the bench's per-variant
    // x-portkey-custom-host could not be combined with a virtual key.
    prepare: async ({ gatewayFetch, bindings }) => {
      const res = await gatewayFetch("/admin/keys", {
        method: "POST",
        headers: { authorization: `Bearer ${bindings.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          name: "bench",
          rpm: 10_000_000,
          tpm: 10_000_000_000,
          budget_usd: 1_000_000,
          budget_period: "monthly",
        }),
      });
      if (res.status !== 201)
        throw new Error(`bench: could not create a gateway key (HTTP ${res.status}): ${await res.text()}`);
      const { key } = await res.json();
      return { headers: { "x-portkey-api-key": key } };
    },
    note: "gateway key from isolate cache; admitted from isolate leases (a limiter round trip per lease, not per request)",
  },
  {
    id: "cache",
    label: "cache lookup, miss path (KV)",
    detect: (wo) => (names(wo.kvNamespaces).length > 0 ? names(wo.kvNamespaces) : null),
    needsPrepare: true,
    // Every request body is unique (client.mjs), so each one reads KV, misses, calls the upstream and stores its
    // answer in waitUntil: the whole miss path. The provider and host still come from the headers.
    prepare: async () => ({
      headers: { "x-portkey-config": JSON.stringify({ cache: { mode: "simple", max_age: 600 } }) },
    }),
    note: "exact cache, every request a MISS (unique bodies): KV read before the call, KV write after the response",
  },
  {
    id: "logging",
    label: "log events enqueued (Queues)",
    detect: (wo) => (names(wo.queueProducers).length > 0 ? names(wo.queueProducers) : null),
    // The gateway enqueues on its own when the producer binding exists. Its consumer runs in the same workerd,
    // so its CPU is in the gateway's figures (as it would be billed).
    needsPrepare: false,
  },
];

/** Every binding of the gateway that is not a plain var, as "KIND NAME". */
function resourceBindings(wo) {
  return [
    ...names(wo.d1Databases).map((b) => ["D1", b]),
    ...names(wo.kvNamespaces).map((b) => ["KV", b]),
    ...names(wo.durableObjects).map((b) => ["DurableObject", b]),
    ...names(wo.queueProducers).map((b) => ["Queue", b]),
    ...names(wo.r2Buckets).map((b) => ["R2", b]),
    ...names(wo.serviceBindings).map((b) => ["Service", b]),
  ];
}

/** Detect stages from the gateway's Miniflare worker options and run their `prepare` hooks. */
export async function planStages(workerOptions, ctx) {
  const stages = [];
  const headers = {};
  /** The headers each stage adds, so the stage-cost phase can leave stages out (bench/lib/stages.mjs). */
  const headersByStage = {};
  const claimed = new Set();
  for (const stage of STAGES) {
    const bindings = stage.detect(workerOptions);
    const base = {
      id: stage.id,
      label: stage.label,
      bindings: bindings ?? [],
      ...(stage.note ? { note: stage.note } : {}),
    };
    if (bindings === null) {
      stages.push({ ...base, state: "off" });
      continue;
    }
    for (const b of bindings) claimed.add(b);
    if (stage.needsPrepare && !stage.prepare) {
      stages.push({ ...base, state: "bound, NOT exercised" });
      continue;
    }
    if (stage.prepare) {
      headersByStage[stage.id] = (await stage.prepare(ctx)).headers ?? {};
      Object.assign(headers, headersByStage[stage.id]);
    }
    stages.push({ ...base, state: "on" });
  }
  const unclaimed = resourceBindings(workerOptions)
    .filter(([, name]) => !claimed.has(name))
    .map(([kind, name]) => `${kind} ${name}`);
  return { stages, unclaimed, plan: { headers, headersByStage } };
}
