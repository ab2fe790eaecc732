// The floor: the least a Worker can do between a client and the upstream. It forwards the request as it came
// (method, headers, body stream) to the mock upstream and returns the upstream's response as it is.
// Hosted by run.mjs with Miniflare exactly like the gateway, in its own workerd, so the gateway's overhead is
// (gateway - floor) from the same run.
//
// Under /kv/ it also does what the gateway's cache miss path asks of the platform (bench/lib/stages.mjs): one KV
// read that misses before the upstream call, one KV write of the answer after the response, so that the cost of
// Miniflare's local KV emulation can be told apart from the gateway's own.
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/kv/")) return fetch(env.UPSTREAM_ORIGIN + url.pathname + url.search, request);
    const key = `rc1:bench:${crypto.randomUUID()}`;
    await env.CALIBRATION_KV.get(key);
    const response = await fetch(env.UPSTREAM_ORIGIN + url.pathname.slice(3) + url.search, request);
    const text = await response.text();
    ctx.waitUntil(env.CALIBRATION_KV.put(key, text, { expirationTtl: 600 }));
    return new Response(text, response);
  },
};
