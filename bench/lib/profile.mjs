// CPU profile of one Worker through workerd's inspector (Chrome DevTools protocol, V8 Profiler domain), and a
// summary of self time by function and by bundled module (esbuild leaves a `// path/to/module.ts` comment before
// each module in an unminified bundle, which is all the source mapping this needs).
import { readFileSync } from "node:fs";
import path from "node:path";

/** Connect to a Worker's inspector target; returns `send(method, params)` and `close()`. */
export async function connectInspector(inspectorPort, targetId) {
  const list = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json();
  const target = list.find((t) => t.id === targetId);
  if (!target) throw new Error(`inspector target ${targetId} not found (have: ${list.map((t) => t.id).join(", ")})`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error("inspector websocket failed")), { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${message.error.message}`));
    else waiter.resolve(message.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
      setTimeout(() => {
        if (pending.delete(id)) reject(new Error(`inspector ${method} timed out`));
      }, 30_000);
    });
  return { send, close: () => ws.close() };
}

/** Line (0-based) -> module path, from esbuild's `// path` comments. */
function moduleIndex(bundlePath) {
  const lines = readFileSync(bundlePath, "utf8").split("\n");
  const starts = [];
  lines.forEach((line, i) => {
    const match = /^\/\/ ((?:node_modules|src|providers|schema|guardrails)\/\S+\.[cm]?[jt]sx?)$/.exec(line);
    if (match) starts.push([i, match[1]]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = "(bundle prelude)";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Self time per function and per module, from a V8 CPU profile. */
export function summariseProfile(profile, bundlePath, bundleUrlPart = path.basename(bundlePath)) {
  const moduleOf = moduleIndex(bundlePath);
  const selfUs = new Map();
  const dt = profile.timeDeltas ?? [];
  profile.samples.forEach((nodeId, i) => selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (dt[i] ?? 0)));
  const byFunction = new Map();
  const byModule = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (!us || node.callFrame.functionName === "(idle)") continue;
    total += us;
    const frame = node.callFrame;
    const inBundle = frame.url.includes(bundleUrlPart);
    const module = inBundle
      ? moduleOf(frame.lineNumber)
      : frame.url
        ? "(runtime JS)"
        : `(${frame.functionName || "native"})`;
    const fn = `${frame.functionName || "(anonymous)"} ${inBundle ? `${module}:${frame.lineNumber + 1}` : module}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byModule.set(module, (byModule.get(module) ?? 0) + us);
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, functions: top(byFunction, 25), modules: top(byModule, 15) };
}
