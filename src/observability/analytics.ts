import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { logRollups } from "../../schema/db";
import type { Db } from "../admin/db";
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
    throw badRequest(`from: at most ${MAX_BUCKETS[query.interval]} ${query.interval}s per query`, "from", "invalid_request");
  }
  return { from, to, interval: query.interval };
}

/** The rollup dimension a group_by reads; only the configured metadata key is rolled up. */
export function dimensionOf(groupBy: string | undefined, metadataKey: string | null): string {
  if (groupBy === undefined) return "provider"; // any dimension partitions every request: totals are the same
  if (groupBy.startsWith("metadata.") && groupBy !== `metadata.${metadataKey}`) {
    const hint = metadataKey ? `only metadata.${metadataKey} is rolled up` : "no metadata key is rolled up";
    throw badRequest(`group_by: ${hint} (set ANALYTICS_METADATA_KEY)`, "group_by", "invalid_request");
  }
  return groupBy;
}

const bucketOf = (interval: Window["interval"]): SQL<number> =>
  interval === "hour" ? sql<number>`${logRollups.hour}` : sql<number>`(${logRollups.hour} - (${logRollups.hour} % ${sql.raw(String(DAY_MS))}))`;

const point = (bucket: number, counters: Counters) => ({ start: new Date(bucket).toISOString(), ...presentCounters(counters) });

/** Totals and a time series (buckets with no requests are left out), plus the top groups with their own series. */
export async function analytics(db: Db, query: AnalyticsQuery, metadataKey: string | null, now = Date.now()) {
  const window = windowOf(query, now);
  const dimension = dimensionOf(query.group_by, metadataKey);
  const where = and(eq(logRollups.dimension, dimension), gte(logRollups.hour, window.from), lt(logRollups.hour, window.to));
  const bucket = bucketOf(window.interval);
  const sums = summedCounters(logRollups);

  const seriesRows = await db.select({ bucket, ...sums }).from(logRollups).where(where).groupBy(bucket).orderBy(bucket);
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
  if (query.group_by === undefined) return { ...base, groups: null, groups_truncated: false };

  const groupRows = await db
    .select({ value: logRollups.value, ...sums })
    .from(logRollups)
    .where(where)
    .groupBy(logRollups.value)
    .orderBy(desc(sql`sum(${logRollups.costUsd})`), desc(sql`sum(${logRollups.requests})`), asc(logRollups.value))
    .limit(query.limit + 1);
  const top = groupRows.slice(0, query.limit);
  const values = top.map((row) => row.value);
  const perGroup = new Map<string, Array<ReturnType<typeof point>>>(values.map((v) => [v, []]));
  if (values.length > 0) {
    const rows = await db
      .select({ value: logRollups.value, bucket, ...sums })
      .from(logRollups)
      .where(and(where, inArray(logRollups.value, values)))
      .groupBy(logRollups.value, bucket)
      .orderBy(bucket);
    for (const row of rows) perGroup.get(row.value)?.push(point(Number(row.bucket), countersOf(row)));
  }
  return {
    ...base,
    groups: top.map((row) => ({ value: row.value, totals: presentCounters(countersOf(row)), series: perGroup.get(row.value) ?? [] })),
    groups_truncated: groupRows.length > query.limit,
  };
}
