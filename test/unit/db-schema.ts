import { env } from "cloudflare:workers";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";

/**
 * The drizzle tables (what the code queries) and the SQL migrations (what D1 has, applied by the test setup) must
 * not drift apart: same columns with the same types and nullability, same declared indexes and uniqueness.
 */
interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

const byName = <T extends { name: string }>(rows: T[]): T[] => rows.sort((a, b) => a.name.localeCompare(b.name));

export function describeMigrationsMatch(title: string, tables: SQLiteTable[]): void {
  describe(title, () => {
    for (const table of tables) {
      const config = getTableConfig(table);
      it(`table ${config.name}`, async () => {
        const { results } = await env.DB.prepare(`PRAGMA table_info(${config.name})`).all<ColumnInfo>();
        const actual = results.map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          notNull: c.notnull === 1 || c.pk > 0,
        }));
        // A primary key column (single or composite) is NOT NULL whether or not the schema says so.
        const inPrimaryKey = (column: (typeof config.columns)[number]) =>
          column.primary || config.primaryKeys.some((pk) => pk.columns.includes(column));
        const expected = config.columns.map((c) => ({
          name: c.name,
          type: c.getSQLType(),
          notNull: c.notNull || inPrimaryKey(c),
        }));
        expect(byName(actual)).toEqual(byName(expected));

        const indexes = await env.DB.prepare(`PRAGMA index_list(${config.name})`).all<{
          name: string;
          unique: number;
          origin: string;
        }>();
        const declared = indexes.results
          .filter((i) => i.origin === "c")
          .map((i) => ({ name: i.name, unique: i.unique === 1 }));
        const inSchema = config.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique }));
        expect(byName(declared)).toEqual(byName(inSchema));
      });
    }
  });
}
