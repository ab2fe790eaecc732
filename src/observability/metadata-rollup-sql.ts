import { sql, type Query, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import {
  COUNTER_KEYS,
  METADATA_ROLLUP_MAX_KEYS,
  METADATA_ROLLUP_MAX_VALUE_CHARS,
  METADATA_ROLLUP_MAX_VALUES,
  metadataRollups,
  OTHER_METADATA_VALUE,
  requestLogs,
} from "../../schema/db";
import { expressions } from "./rollup-sql";

/**
 * The metadata rollup of one consumer batch: every metadata key of the rows this batch inserted, bounded
 * (schema/db/metadata-rollups.ts), upserted into metadata_rollups in the same D1 transaction as the inserts and the
 * other rollups (so a redelivered event, which keeps its first batch_id, is never counted twice).
 *
 * Cardinality is decided inside the statement, so it is exact even with consumers writing concurrently (D1 runs
 * one transaction at a time): a value already stored for its key and hour keeps its row; a new one takes the next
 * slot while slots last (the batch's new values by requests, then value); after that it counts as `__other__`.
 */

const raw = (value: number | string): SQL =>
  typeof value === "number" ? sql.raw(String(value)) : sql.raw(`'${value.replaceAll("'", "''")}'`);
const OTHER = raw(OTHER_METADATA_VALUE);
const col = (name: string) => sql.identifier(name);

/** Keys usable in group_by (METADATA_KEY_PATTERN), and not `_`-prefixed (reserved by the gateway) except `_user`. */
const ELIGIBLE_KEY = sql`length(j.key) between 1 and 64 and j.key not glob '*[^A-Za-z0-9_.-]*' and (j.key = '_user' or j.key not glob '_*')`;

/** One row per (request, rolled-up key): its first METADATA_ROLLUP_MAX_KEYS eligible keys in key order. */
function pairs(batchId: string): SQL {
  return sql`select ${requestLogs.id} as log_id, j.key as key, substr(j.value, 1, ${raw(METADATA_ROLLUP_MAX_VALUE_CHARS)}) as value,
      row_number() over (partition by ${requestLogs.id} order by j.key) as key_rank
    from ${requestLogs}, json_each(${requestLogs.metadata}) as j
    where ${requestLogs.batchId} = ${batchId} and j.type = 'text' and ${ELIGIBLE_KEY}`;
}

/** The batch's measures per (hour, key, value), the same expressions as log_rollups. */
function grouped(): SQL {
  const all = expressions();
  const measures = sql.join(
    COUNTER_KEYS.map((key) => sql`${all[key]} as ${col(key)}`),
    sql`, `,
  );
  return sql`select ${requestLogs.hour} as hour, pairs.key as key, pairs.value as value, ${measures}
    from pairs join ${requestLogs} on ${requestLogs.id} = pairs.log_id
    where pairs.key_rank <= ${raw(METADATA_ROLLUP_MAX_KEYS)}
    group by ${requestLogs.hour}, pairs.key, pairs.value`;
}

/** Each group's stored slot (null: a new value) and the highest slot of its key and hour (one index seek each). */
const placed = sql`select grouped.*,
    (select m.slot from ${metadataRollups} m where m.key = grouped.key and m.hour = grouped.hour and m.value = grouped.value) as known_slot,
    coalesce((select m.slot from ${metadataRollups} m where m.key = grouped.key and m.hour = grouped.hour order by m.slot desc limit 1), 0) as top_slot
  from grouped`;

/** New values are numbered per key and hour (most requested first); those past the bound get slot 0: `__other__`. */
const slotted = sql`select ranked.*, case
      when value = ${OTHER} then 0
      when known_slot is not null then known_slot
      when top_slot + arrival <= ${raw(METADATA_ROLLUP_MAX_VALUES)} then top_slot + arrival
      else 0 end as slot
  from (select placed.*, row_number() over (
      partition by hour, key, (known_slot is null and value <> ${OTHER}) order by ${col("requests")} desc, value) as arrival
    from placed) as ranked`;

/** key, hour, value (the primary key), slot. */
const KEY_COLUMNS = [metadataRollups.key, metadataRollups.hour, metadataRollups.value, metadataRollups.slot].map((c) =>
  col(c.name),
);

function upsert(): SQL {
  const columns = COUNTER_KEYS.map((key) => col(metadataRollups[key].name));
  const sums = sql.join(
    COUNTER_KEYS.map((key) => sql`sum(${col(key)})`),
    sql`, `,
  );
  const add = sql.join(
    columns.map((c) => sql`${c} = ${c} + excluded.${c}`),
    sql`, `,
  );
  const value = sql`case when slot = 0 then ${OTHER} else value end`;
  // `where true`: SQLite needs a WHERE in an INSERT ... SELECT that has an upsert clause (parsing ambiguity).
  return sql`insert into ${metadataRollups} (${sql.join([...KEY_COLUMNS, ...columns], sql`, `)})
    select key, hour, ${value}, max(slot), ${sums} from slotted where true group by key, hour, ${value}
    on conflict (${sql.join(KEY_COLUMNS.slice(0, 3), sql`, `)}) do update set ${add}`;
}

const dialect = new SQLiteAsyncDialect();

/** The statement (SQL and its one parameter, the batch id), in the shape drizzle queries' toSQL() gives. */
export function metadataRollupQuery(batchId: string): { toSQL: () => Query } {
  const statement = sql`with pairs as (${pairs(batchId)}), grouped as (${grouped()}), placed as (${placed}), slotted as (${slotted})
    ${upsert()}`;
  return { toSQL: () => dialect.sqlToQuery(statement) };
}
