// What each pipeline stage costs, in the same run: the gateway is measured again with stages left out per request
// (no cache config; then no gateway key either, which the bench's passthrough setting lets through ungoverned),
// and the floor Worker is measured doing what the cache's miss path asks of the platform (one KV read that
// misses, one KV write in waitUntil), so the local KV emulation's own cost can be told apart from ours.
import http from "node:http";
import { send } from "./client.mjs";
import { median } from "./stats.mjs";

/** Bounded: a fixed count per variant, after a short warm-up. */
const PLAN = { full: { warm: 60, requests: 600 }, quick: { warm: 20, requests: 100 } };

/**
 * `variants`: [{ name, target, cpu: () => ms }]. Each variant runs alone (so the CPU delta of its workerd is its
 * own), sequentially; reports p50 latency and CPU ms per request.
 */
export async function measureStages(variants, { quick, log }) {
  const plan = quick ? PLAN.quick : PLAN.full;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out = {};
  try {
    for (const { name, target, cpu } of variants) {
      for (let i = 0; i < plan.warm; i++) await send(target, "instant", { agent });
      // Let the previous variant's background work (waitUntil, queue consumer) finish before counting CPU.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = cpu();
      const times = [];
      let errors = 0;
      for (let i = 0; i < plan.requests; i++) {
        const result = await send(target, "instant", { agent });
        if (result.ok) times.push(result.ms);
        else errors += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      out[name] = {
        p50: median(times),
        cpuMsPerRequest: (cpu() - before) / plan.requests,
        requests: plan.requests,
        errors,
      };
    }
  } finally {
    agent.destroy();
  }
  log(`stage costs: ${variants.length} variants x ${plan.requests} sequential requests`);
  return out;
}

/** The table: each variant, and its difference from the one before it (what the stage added). */
export function formatStages(stages) {
  const rows = Object.entries(stages);
  const lines = [
    "stage costs (sequential, each variant alone)       p50 ms  CPU ms/req",
    "-----------------------------------------------  ------  ----------",
  ];
  for (const [name, s] of rows)
    lines.push(`${name.padEnd(47)}  ${s.p50.toFixed(3).padStart(6)}  ${s.cpuMsPerRequest.toFixed(3).padStart(10)}`);
  return lines.join("\n");
}
