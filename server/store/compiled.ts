import { type Compilable, CompiledQuery } from 'kysely';

/**
 * Stand-ins for a template's values: strings no real value can equal (they hold U+0000, which no store takes).
 * Typed `never` so that they fit wherever the builder wants a value, of whatever column type.
 */
type StandIns<Name extends string> = { readonly [N in Name]: never };

/**
 * A query built and compiled once with stand-in values, then run with the real ones. Building and compiling a
 * Kysely query costs as much as running it on SQLite (an insert of a comment: ~30 µs of its ~60); the hot paths
 * (reading a thread, posting, counting a rate limit) build none. The builder must put each named value in the
 * query as a parameter, once or more, and give the query a shape that does not depend on the values.
 *
 * @example
 * const byId = compiledTemplate(['id'], (v) => db.selectFrom('comments').selectAll().where('id', '=', v.id));
 * const { rows } = await db.executeQuery(byId({ id }));
 */
export function compiledTemplate<Name extends string, Row>(
  names: readonly Name[],
  build: (standIns: StandIns<Name>) => Compilable<Row>,
): (values: { readonly [N in Name]?: unknown }) => CompiledQuery<Row> {
  const standIns = Object.fromEntries(
    names.map((name) => [name, `\u0000${name}\u0000`]),
  ) as unknown as StandIns<Name>;
  const byStandIn = new Map<unknown, Name>(names.map((name) => [standIns[name], name]));
  let compiled: CompiledQuery<Row> | undefined;
  let slots: Array<Name | undefined> = [];
  return (values) => {
    if (!compiled) {
      compiled = build(standIns).compile();
      slots = compiled.parameters.map((parameter) => byStandIn.get(parameter));
      const missing = names.filter((name) => !slots.includes(name));
      if (missing.length > 0) throw new Error(`The query does not use ${missing.join(', ')} as parameters`);
    }
    const parameters = compiled.parameters.map((parameter, index) => {
      const name = slots[index];
      return name === undefined ? parameter : values[name];
    });
    return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>;
  };
}
