import { sql, type Query } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { guardrailCheckTotals } from "../../schema/db/guardrails";
import { requestLogs } from "../../schema/db";

/**
 * The guardrail check counters of one consumer batch (`ai_gateway_guardrail_checks_total{check, verdict}`): every
 * check result in the hook_results of the rows this batch inserted, counted per check id and verdict and added to
 * guardrail_check_totals in the same D1 transaction as the inserts. Like the other rollups it reads
 * `request_logs WHERE batch_id = ?`, so a redelivered event (which keeps its first batch_id) is never counted twice.
 * Check ids come from the registry (configs are validated against it), so the label set stays bounded.
 */
const dialect = new SQLiteAsyncDialect();

export function guardrailRollupQuery(batchId: string): { toSQL: () => Query } {
  const statement = sql`insert into ${guardrailCheckTotals} ("check", "verdict", "count")
    select json_extract(c.value, '$.id') as check_id,
      case when json_extract(c.value, '$.verdict') then 'pass' else 'fail' end as verdict,
      count(*) as n
    from ${requestLogs}, json_each(${requestLogs.hookResults}) as phase, json_each(phase.value) as hook,
      json_each(hook.value, '$.checks') as c
    where ${requestLogs.batchId} = ${batchId} and ${requestLogs.hookResults} is not null
      and phase.type = 'array' and json_type(c.value, '$.id') = 'text'
    group by check_id, verdict
    on conflict ("check", "verdict") do update set "count" = ${guardrailCheckTotals.count} + excluded."count"`;
  return { toSQL: () => dialect.sqlToQuery(statement) };
}
