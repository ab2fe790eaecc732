import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { logRollups, metadataRollups } from "../../schema/db";
import type { Db } from "../storage/db";
import { badRequest } from "../errors";
import type { AnalyticsQuery } from "./admin-queries";
import { addCounters, countersOf, presentCounters, summedCounters, ZERO, type Counters } from "./counters";
import { HOUR_MS } from "./rows";

const DAY_MS = 86_400_000;
const INTERVAL_MS = { hour: HOUR_MS, day: DAY_MS } as const;
const DEFAULT_RANGE_MS = { hour: DAY_MS, day: 30 * DAY_MS } as const;
/** Bounds the series a single call returns: 31 days of hours, or 400 days. */
const MAX_BUCKETS = { hour: 31 * 24, day: 400 } as const;

export interface Window {
  from: number;
  to: number;
  interval: AnalyticsQuery["interval"];
}

/**
 * The window the rollups can answer: `from` down to the start of its hour (or UTC day), `to` up to the end of its
 * hour. Rollups are hourly, so a finer window would be a lie.
 */
export function windowOf(query: AnalyticsQuery, now: number): Window {
  const step = INTERVAL_MS[query.interval];
  const to = Math.ceil((query.to ?? now) / HOUR_MS) * HOUR_MS;
  const from = Math.floor((query.from ?? to - DEFAULT_RANGE_MS[query.interval]) / step) * step;
  if (from >= to) throw badRequest("from: must be before `to`", "from", "invalid_request");
  if ((to - from) / step > MAX_BUCKETS[query.interval]) {
    throw badRequest(
      `from: at most ${MAX_BUCKETS[query.interval]} ${query.interval}s per query`,
      "from",
      "invalid_request",
    );
  }
  return { from, to, interval: query.interval };
}

/**
 * Where a group_by's groups are rolled up: a log_rollups dimension (every request counts in it: '' when it has no
 * value), or, for a metadata key other than ANALYTICS_METADATA_KEY, metadata_rollups (only the requests that
 * carried the key; an unknown key has no rows, so no groups).
 */
export type GroupSource = { table: "log_rollups"; dimension: string } | { table: "metadata_rollups"; key: string };

export function groupSourceOf(groupBy: string | undefined, metadataKey: string | null): GroupSource | null {
  if (groupBy === undefined) return null;
  // The configured key keeps answering from log_rollups as it always did (its '' group, no cardinality bound).
  if (groupBy.startsWith("metadata.") && groupBy !== `metadata.${metadataKey}`) {
    return { table: "metadata_rollups", key: groupBy.slice("metadata.".length) };
  }
  return { table: "log_rollups", dimension: groupBy };
}

/** The log_rollups dimension totals and series are read from: any of them partitions every request. */
const totalsDimension = (source: GroupSource | null): string =>
  source?.table === "log_rollups" ? source.dimension : "provider";

const bucketOf = (interval: Window["interval"], hour: AnySQLiteColumn = logRollups.hour): SQL<number> =>
  interval === "hour" ? sql<number>`${hour}` : sql<number>`(${hour} - (${hour} % ${sql.raw(String(DAY_MS))}))`;

const point = (bucket: number, counters: Counters) => ({
  start: new Date(bucket).toISOString(),
  ...presentCounters(counters),
});

/** The rows and filter a group source's groups are read from, within the window. */
function groupRowsOf(source: GroupSource, window: Window) {
  if (source.table === "log_rollups") {
    const where = and(
      eq(logRollups.dimension, source.dimension),
      gte(logRollups.hour, window.from),
      lt(logRollups.hour, window.to),
    );
    return { table: logRollups, where };
  }
  const where = and(
    eq(metadataRollups.key, source.key),
    gte(metadataRollups.hour, window.from),
    lt(metadataRollups.hour, window.to),
  );
  return { table: metadataRollups, where };
}

/** The top `limit` groups (by cost, then requests, then value), each with its totals and series. */
async function groupsOf(db: Db, source: GroupSource, window: Window, limit: number) {
  const { table, where } = groupRowsOf(source, window);
  const bucket = bucketOf(window.interval, table.hour);
  const sums = summedCounters(table);
  const groupRows = await db
    .select({ value: table.value, ...sums })
    .from(table)
    .where(where)
    .groupBy(table.value)
    .orderBy(desc(sql`sum(${table.costUsd})`), desc(sql`sum(${table.requests})`), asc(table.value))
    .limit(limit + 1);
  const top = groupRows.slice(0, limit);
  const values = top.map((row) => row.value);
  const perGroup = new Map<string, Array<ReturnType<typeof point>>>(values.map((v) => [v, []]));
  if (values.length > 0) {
    const rows = await db
      .select({ value: table.value, bucket, ...sums })
      .from(table)
      .where(and(where, inArray(table.value, values)))
      .groupBy(table.value, bucket)
      .orderBy(bucket);
    for (const row of rows) perGroup.get(row.value)?.push(point(Number(row.bucket), countersOf(row)));
  }
  return {
    groups: top.map((row) => ({
      value: row.value,
      totals: presentCounters(countersOf(row)),
      series: perGroup.get(row.value) ?? [],
    })),
    groups_truncated: groupRows.length > limit,
  };
}

/**
 * Totals and a time series (buckets with no requests are left out) of every request in the window, plus the top
 * groups with their own series.
 */
export async function analytics(db: Db, query: AnalyticsQuery, metadataKey: string | null, now = Date.now()) {
  const window = windowOf(query, now);
  const source = groupSourceOf(query.group_by, metadataKey);
  const where = and(
    eq(logRollups.dimension, totalsDimension(source)),
    gte(logRollups.hour, window.from),
    lt(logRollups.hour, window.to),
  );
  const bucket = bucketOf(window.interval);

  const seriesRows = await db
    .select({ bucket, ...summedCounters(logRollups) })
    .from(logRollups)
    .where(where)
    .groupBy(bucket)
    .orderBy(bucket);
  const series = seriesRows.map((row) => ({ bucket: Number(row.bucket), counters: countersOf(row) }));
  const totals = series.reduce((sum, p) => addCounters(sum, p.counters), ZERO);
  const base = {
    object: "analytics" as const,
    group_by: query.group_by ?? null,
    interval: window.interval,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    totals: presentCounters(totals),
    series: series.map((p) => point(p.bucket, p.counters)),
  };
  if (source === null) return { ...base, groups: null, groups_truncated: false };
  return { ...base, ...(await groupsOf(db, source, window, query.limit)) };
}
