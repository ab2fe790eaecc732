// The floor: the least a Worker can do between a client and the upstream. It forwards the request as it came
// (method, headers, body stream) to the mock upstream and returns the upstream's response as it is.
// Hosted by run.mjs with Miniflare exactly like the gateway, in its own workerd, so the gateway's overhead is
// (gateway - floor) from the same run.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.UPSTREAM_ORIGIN + url.pathname + url.search, request);
  },
};
