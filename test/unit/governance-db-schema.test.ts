import { env } from "cloudflare:workers";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { gatewayKeys, virtualKeys } from "../../schema/db";

/** schema/migrations/0003_governance.sql (what D1 has) must match schema/db/keys.ts (what the code queries). */
interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

const tables: SQLiteTable[] = [gatewayKeys, virtualKeys];

describe("governance migration matches the drizzle schema", () => {
  for (const table of tables) {
    const config = getTableConfig(table);
    it(`table ${config.name}`, async () => {
      const { results } = await env.DB.prepare(`PRAGMA table_info(${config.name})`).all<ColumnInfo>();
      const actual = results.map((c) => ({ name: c.name, type: c.type.toLowerCase(), notNull: c.notnull === 1 || c.pk > 0 }));
      const expected = config.columns.map((c) => ({ name: c.name, type: c.getSQLType(), notNull: c.notNull }));
      expect(actual.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
      const indexes = await env.DB.prepare(`PRAGMA index_list(${config.name})`).all<{ name: string; unique: number; origin: string }>();
      const declared = indexes.results.filter((i) => i.origin === "c").map((i) => ({ name: i.name, unique: i.unique === 1 }));
      const inSchema = config.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique }));
      expect(declared.sort((a, b) => a.name.localeCompare(b.name))).toEqual(inSchema.sort((a, b) => a.name.localeCompare(b.name)));
    });
  }
});
