// Process CPU accounting from /proc (Linux): find the workerd each Miniflare instance spawned, read its CPU time.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces and parentheses). */
function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const close = text.lastIndexOf(")");
  return { comm: text.slice(text.indexOf("(") + 1, close), rest: text.slice(close + 2).split(" ") };
}

/** utime + stime of a process (all its threads, live and exited), in ms. Resolution: one clock tick (10 ms). */
export function cpuMs(pid) {
  const { rest } = statFields(pid);
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / clockTicks();
}

/** All descendants of `root` whose command name is `name`. */
export function descendantsNamed(root, name) {
  const children = new Map();
  const comms = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm, rest } = statFields(entry);
      const ppid = rest[1];
      comms.set(entry, comm);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(entry);
    } catch {
      // the process exited while we looked
    }
  }
  const found = [];
  const queue = [String(root)];
  for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      if (comms.get(child) === name) found.push(Number(child));
      queue.push(child);
    }
  }
  return found;
}

/** CPU ms of a set of pids, summed. */
export const cpuOf = (pids) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

export function machineInfo() {
  const cpus = os.cpus();
  let workerd = null;
  try {
    workerd = execFileSync(process.execPath, ["-p", 'require("workerd/package.json").version'], {
      encoding: "utf8",
    }).trim();
  } catch {
    // not resolvable from here
  }
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    workerd,
    clockTicksPerSecond: clockTicks(),
  };
}

/** CPU ms the whole machine spent busy (all cores) since boot, from /proc/stat. */
export function machineBusyMs() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  return ((total - idle) * 1000) / clockTicks();
}

/**
 * How much of the machine other processes used while we measured: the bench shares the machine with whatever
 * else runs, and figures taken on a busy machine are noisier (interleaving keeps them comparable, not quiet).
 */
export function contentionMeter(ownPids) {
  const ours = () => {
    const self = process.cpuUsage();
    return (self.user + self.system) / 1000 + cpuOf(ownPids());
  };
  const start = { at: performance.now(), busy: machineBusyMs(), ours: ours(), loadavg: os.loadavg()[0] };
  return () => {
    const wallMs = performance.now() - start.at;
    const capacity = wallMs * os.cpus().length;
    const busy = machineBusyMs() - start.busy;
    const own = ours() - start.ours;
    return {
      loadavg1mAtStart: start.loadavg,
      machineBusyShare: busy / capacity,
      benchShare: own / capacity,
      otherProcessesShare: Math.max(0, busy - own) / capacity,
    };
  };
}
