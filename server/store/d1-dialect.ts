import type { D1Database } from '@cloudflare/workers-types';
import {
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  sql,
  type TableMetadata,
} from 'kysely';
import { D1Dialect as BaseD1Dialect } from 'kysely-d1';
import type { Atomic } from './atomic.ts';
import type { UnavailableClassifier } from './unavailable.ts';

/**
 * kysely-d1's dialect, with an introspector that leaves out D1's reserved `_cf_*` tables. D1 lists them in
 * sqlite_master (`_cf_METADATA` appears with the first write) but refuses to describe them (`pragma_table_info` →
 * "not authorized: SQLITE_AUTH"), and Kysely's SQLite introspector describes every table it finds. Kysely's
 * Migrator introspects before each run, so without this `store.migrate()` fails on any D1 database.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new D1Dialect({ database: env.DB }) });
 */
export class D1Dialect extends BaseD1Dialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new D1Introspector(db);
  }
}

interface ColumnRow {
  table: string;
  kind: 'table' | 'view';
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

class D1Introspector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas() {
    return [];
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const internal = options.withInternalKyselyTables
      ? sql``
      : sql`and m.name not in (${DEFAULT_MIGRATION_TABLE}, ${DEFAULT_MIGRATION_LOCK_TABLE})`;
    const { rows } = await sql<ColumnRow>`
      select m.name as "table", m.type as kind, p.name, p.type, p."notnull", p.dflt_value, p.pk
      from sqlite_master m join pragma_table_info(m.name) p
      where m.type in ('table', 'view')
        and m.name not like 'sqlite\\_%' escape '\\' and m.name not like '\\_cf\\_%' escape '\\'
        ${internal}
      order by m.name, p.cid`.execute(this.db);

    const tables = new Map<string, { kind: ColumnRow['kind']; columns: ColumnRow[] }>();
    for (const row of rows) {
      const table = tables.get(row.table) ?? { kind: row.kind, columns: [] };
      table.columns.push(row);
      tables.set(row.table, table);
    }
    return [...tables].map(([name, { kind, columns }]) => {
      // An INTEGER PRIMARY KEY is the rowid, which SQLite fills in (https://www.sqlite.org/autoinc.html).
      const keys = columns.filter((column) => column.pk > 0);
      const rowid = keys.length === 1 && keys[0]?.type.toLowerCase() === 'integer' ? keys[0].name : undefined;
      return {
        name,
        isView: kind === 'view',
        columns: columns.map((column) => ({
          name: column.name,
          dataType: column.type,
          isNullable: column.notnull === 0,
          isAutoIncrementing: column.name === rowid,
          hasDefaultValue: column.dflt_value !== null,
        })),
      };
    });
  }

  async getMetadata(options?: DatabaseMetadataOptions) {
    return { tables: await this.getTables(options) };
  }
}

/**
 * D1 errors its documentation calls transient (developers.cloudflare.com/d1/observability/debug-d1/#error-list):
 * the storage object was reset or moved, the network to it dropped, or it is overloaded. The same request may
 * succeed in a moment, so they answer 503 rather than 500.
 */
export const d1Unavailable: UnavailableClassifier = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  return /Network connection lost|object to be reset|reset because its code was updated|overloaded|transient issue|exceeded timeout/i.test(
    message,
  )
    ? message
    : undefined;
};

/**
 * D1 has no interactive transactions (the dialect refuses `db.transaction()`), but runs a batch of statements as
 * one transaction: a statement that fails rolls the whole batch back. Give this to `kyselyStore` on D1.
 *
 * @example
 * const store = kyselyStore(new Kysely<Database>({ dialect: new D1Dialect({ database }) }), d1Batch(database));
 */
export function d1Batch(database: D1Database): Atomic {
  return async (queries) => {
    if (queries.length === 0) return [];
    const statements = queries.map((query) => database.prepare(query.sql).bind(...query.parameters));
    return (await database.batch(statements)).map((result) => ({ rows: result.results ?? [] }));
  };
}
