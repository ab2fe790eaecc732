import { env } from "cloudflare:workers";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { budgetAlerts, logRollups, metricTotals, requestLogs } from "../../schema/db";

/** schema/migrations/0004_observability.sql (what D1 has) must match schema/db/logs.ts (what the code queries). */
const tables: SQLiteTable[] = [requestLogs, logRollups, metricTotals, budgetAlerts];

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

describe("observability migration matches the drizzle schema", () => {
  for (const table of tables) {
    const config = getTableConfig(table);
    it(`table ${config.name}`, async () => {
      const { results } = await env.DB.prepare(`PRAGMA table_info(${config.name})`).all<ColumnInfo>();
      const actual = results.map((c) => ({ name: c.name, type: c.type.toLowerCase(), notNull: c.notnull === 1 || c.pk > 0 }));
      const expected = config.columns.map((c) => ({ name: c.name, type: c.getSQLType(), notNull: c.notNull || c.primary || config.primaryKeys.some((pk) => pk.columns.includes(c)) }));
      expect(actual.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
      const indexes = await env.DB.prepare(`PRAGMA index_list(${config.name})`).all<{ name: string; origin: string }>();
      expect(indexes.results.filter((i) => i.origin === "c").map((i) => i.name).sort()).toEqual(config.indexes.map((i) => i.config.name).sort());
    });
  }
});
