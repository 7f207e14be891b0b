import type pg from 'pg';

/** Past this many distinct statements, new ones are sent unnamed: each name holds a plan on every connection. */
const NAMED_STATEMENTS = 300;
const statementNames = new Map<string, string>();

const nameOf = (text: string): string | undefined => {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < NAMED_STATEMENTS) {
    name = `parley_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
};

/** PostgreSQL's answer to a prepared `select *` whose table gained or lost a column since it was planned. */
const isStalePlan = (error: unknown) =>
  error instanceof Error &&
  (error as { code?: string }).code === '0A000' &&
  error.message.includes('cached plan must not change result type');

/**
 * Sends a connection's parameterised statements (all of Kysely's) as named prepared statements: PostgreSQL then
 * parses and plans each once per connection instead of on every call, which for a post cost more of its CPU than
 * running the statements did. The same text always gets the same name. When another instance's migration changes
 * a table under a prepared `select *`, the connection goes on with unnamed statements. `PARLEY_PG_PREPARE=0` leaves
 * connections alone, for poolers that cannot keep a session's prepared statements (PgBouncer before 1.21 in
 * transaction mode).
 *
 * @example pool.on('connect', (client) => prepareByName(client));
 */
export function prepareByName(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let unnamed = false;
  const named = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    const name =
      !unnamed && typeof text === 'string' && Array.isArray(values) && rest.length === 0 && nameOf(text);
    if (!name) return query(text, values, ...rest);
    return query({ name, text, values }).catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      unnamed = true;
      return query(text, values);
    });
  };
  (client as { query: unknown }).query = named;
}
