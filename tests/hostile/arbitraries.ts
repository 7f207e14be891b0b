import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument, Parameter } from './openapi.ts';

/*
 * fast-check arbitraries for the API's inputs, read off the OpenAPI document: values that follow the schema (so
 * requests get past validation into the handlers and the store) with, here and there, a hostile one in their
 * place. A schema construct this module does not know throws: a new kind of input must get a generator before
 * it goes unfuzzed.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that have broken parsers, stores and encoders before. */
const NASTY = [
  '',
  ' ',
  '\0',
  'a\0b',
  '\uD800',
  'x\uDFFFy',
  '\uFEFF',
  '\u202Ereversed',
  '\u2028\u2029',
  'é',
  'e\u0301',
  '👩‍👩‍👧',
  '𝕏',
  '%',
  '%zz',
  '%00',
  '%C0%80',
  '%E0%A4%A',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  "'; drop table comments; --",
  '\\',
  '"',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '__proto__',
  'constructor',
  'javascript:alert(1)',
  'https://',
  `https://${'a'.repeat(3000)}.example/`,
];

const NASTY_CHARS = [
  '\0',
  '\uD800',
  '\uDFFF',
  '\u202E',
  '\uFEFF',
  'é',
  '😀',
  '\n',
  '\t',
  '<',
  '"',
  '\\',
  '%',
  '/',
];

/** A hostile string: any code point, lone surrogates and NUL, or far longer than any field allows. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...NASTY_CHARS), maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Past every field's maxLength; the longest also past the 64 KB body limit.
  fc.constantFrom(300, 3000, 10_001, 70_000).map((length) => 'x'.repeat(length)),
);

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'a\0', '', 'x'.repeat(500)),
  hostileString,
);

/** A hostile JSON value: wrong types, odd numbers, small nested structures with hostile keys. */
export const hostileValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, -0, 0.5, Number.MAX_SAFE_INTEGER + 2),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Context the generators draw on: ids that exist in the store, so some requests reach real rows. */
export interface Pools {
  strings: string[];
}

/** Each schema node is hostile this often in `weight` terms against 8 for a value that follows the schema. */
const HOSTILE_WEIGHT = 1;

export class SchemaArbitraries {
  /**
   * @param hostile Whether values may be hostile. Without, they follow the schema (and name rows that exist), so
   *   that requests get past validation into the handlers and the store.
   */
  constructor(
    private readonly document: OpenApiDocument,
    private readonly pools: Pools,
    readonly hostile: boolean,
  ) {}

  /** A value for the schema, now and then (when hostile) a hostile one in its place, at any depth. */
  valueFor(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<Json> {
    const valid = this.#valid(schema, name, depth);
    if (!this.hostile) return valid;
    return fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: hostileValue, weight: HOSTILE_WEIGHT });
  }

  #resolve(schema: JsonSchema): JsonSchema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const found = this.document.components?.schemas?.[name];
    if (!found) throw new Error(`No generator: unresolved ${schema.$ref}`);
    return this.#resolve(found);
  }

  #valid(given: JsonSchema, name: string, depth: number): fc.Arbitrary<Json> {
    const schema = this.#resolve(given);
    const choices = schema.anyOf ?? schema.oneOf;
    if (choices) return fc.oneof(...choices.map((choice) => this.#valid(choice, name, depth)));
    if (schema.allOf) throw new Error('No generator: allOf');
    if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
    if (schema.const !== undefined) return fc.constant(schema.const as Json);
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.length === 0) {
      // `{}`: any JSON at all (an `unknown` in zod).
      if (Object.keys(schema).every((key) => key === 'description' || key === 'default')) return hostileValue;
      throw new Error(`No generator: a schema without a type: ${JSON.stringify(schema)}`);
    }
    return fc.oneof(...types.map((type) => this.#ofType(type, schema, name, depth)));
  }

  #ofType(type: string, schema: JsonSchema, name: string, depth: number): fc.Arbitrary<Json> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? schema.exclusiveMinimum ?? -1000;
        const max = schema.maximum ?? schema.exclusiveMaximum ?? Math.max(min, 0) + 1000;
        return type === 'integer'
          ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
          : fc.double({ min, max, noNaN: true });
      }
      case 'string':
        return this.#string(schema, name);
      case 'array': {
        if (!schema.items) throw new Error('No generator: an array without items');
        return fc.array(this.valueFor(schema.items, name, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 5, 5),
        });
      }
      case 'object':
        return this.#object(schema, depth);
      default:
        throw new Error(`No generator: type ${type}`);
    }
  }

  #string(schema: JsonSchema, name: string): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.min(schema.maxLength ?? 200, 400);
    const fits = (value: string) =>
      value.length >= minLength && value.length <= (schema.maxLength ?? Infinity);
    let shaped: fc.Arbitrary<string>;
    if (schema.pattern) {
      shaped = fc.stringMatching(new RegExp(schema.pattern), { maxLength }).filter(fits);
    } else if (schema.format === 'email') {
      shaped = fc.emailAddress().filter(fits);
    } else if (schema.format) {
      throw new Error(`No generator: string format ${schema.format}`);
    } else if (/url/i.test(name)) {
      shaped = fc.webUrl({ withQueryParameters: true, withFragments: true }).filter(fits);
    } else {
      shaped = fc.oneof(
        fc.string({ minLength, maxLength }),
        fc.string({ unit: 'grapheme', minLength, maxLength }),
        fc.webUrl({ withQueryParameters: true, withFragments: true }).filter(fits),
      );
    }
    const known = [
      ...this.pools.strings,
      ...(typeof schema.example === 'string' ? [schema.example] : []),
    ].filter(fits);
    const base =
      known.length > 0 ? fc.oneof({ arbitrary: shaped, weight: 3 }, fc.constantFrom(...known)) : shaped;
    // A value that passes every other check with one bad character inside: how NUL reached PostgreSQL.
    const spiked = fc.tuple(base, fc.constantFrom(...NASTY_CHARS), fc.nat()).map(([value, char, at]) => {
      const cut = value.length === 0 ? 0 : at % (value.length + 1);
      return value.slice(0, cut) + char + value.slice(cut);
    });
    return this.hostile ? fc.oneof({ arbitrary: base, weight: 3 }, spiked) : base;
  }

  #object(schema: JsonSchema, depth: number): fc.Arbitrary<Json> {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const fields = Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [key, this.valueFor(property, key, depth + 1)]),
    );
    const shaped = fc.record(fields, {
      requiredKeys: Object.keys(properties).filter((name) => required.has(name)),
    }) as fc.Arbitrary<Record<string, Json>>;
    const extra =
      typeof schema.additionalProperties === 'object'
        ? fc.dictionary(
            fc.string({ maxLength: 20 }),
            this.valueFor(schema.additionalProperties, '', depth + 1),
            {
              maxKeys: 3,
            },
          )
        : fc.dictionary(hostileKey, hostileValue, { maxKeys: 2 });
    if (!this.hostile) return shaped;
    return fc.oneof(
      { arbitrary: shaped, weight: 6 },
      // Unknown fields next to the known ones, or a required field left out.
      { arbitrary: fc.tuple(shaped, extra).map(([known, more]) => ({ ...more, ...known })), weight: 1 },
      {
        arbitrary: fc
          .tuple(shaped, fc.constantFrom(...(required.size > 0 ? [...required] : ['none'])))
          .map(([known, drop]) => Object.fromEntries(Object.entries(known).filter(([key]) => key !== drop))),
        weight: 1,
      },
    );
  }
}

/** Every byte of the UTF-8 form percent-encoded, as a path segment; lone surrogates become U+FFFD. */
export function encodeSegment(value: string): string {
  return [...new TextEncoder().encode(value)]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

/** A path parameter's value: from the schema, an id of a real row, or hostile (raw percent sequences too). */
export function segmentFor(arbitraries: SchemaArbitraries, parameter: Parameter): fc.Arbitrary<string> {
  const shaped = arbitraries
    .valueFor(parameter.schema, parameter.name)
    .map((value) => encodeSegment(asText(value)));
  if (!arbitraries.hostile) return shaped;
  return fc.oneof(
    { arbitrary: shaped, weight: 6 },
    { arbitrary: fc.constantFrom('%', '%zz', '%C0%80', '%2F', '..', '.', '%2e%2e', ';', '%FF'), weight: 1 },
  );
}

/** How a generated value travels in a query string or a path: as text. */
export function asText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
