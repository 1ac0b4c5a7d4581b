import { describe, expect, it } from 'vitest';
import { exampleAsText, prettyExample, schemaRows, schemaType } from './schemaRows';

describe('schemaType', () => {
  it('names types with their format, bounds, enums and nullability', () => {
    expect(schemaType({ type: 'string', format: 'email' })).toBe('string (email)');
    expect(schemaType({ type: 'integer', minimum: 1, maximum: 100 })).toBe('integer ≥ 1 ≤ 100');
    expect(schemaType({ enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(schemaType({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaType({ type: 'array', items: { type: 'string' } })).toBe('array of string');
    expect(schemaType({ oneOf: [{ type: 'string' }, { type: 'number' }] })).toBe('string | number');
    expect(schemaType({})).toBe('any');
  });
});

describe('schemaRows', () => {
  it('lists nested properties depth first with what is required', () => {
    const rows = schemaRows({
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', description: 'The id' },
        owner: {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string', format: 'email' } },
        },
        tags: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
    });
    expect(rows.map((r) => [r.path, r.depth, r.type, r.required])).toEqual([
      ['id', 0, 'string', true],
      ['owner', 0, 'object', false],
      ['owner.email', 1, 'string (email)', true],
      ['tags', 0, 'array of object', false],
      ['tags[].name', 1, 'string', false],
    ]);
    expect(rows[0]?.description).toBe('The id');
  });

  it('reads an array at the top, merges allOf, and stops at a cut loop or the depth limit', () => {
    expect(
      schemaRows({ type: 'array', items: { properties: { a: { type: 'string' } } } }).map(
        (r) => r.path,
      ),
    ).toEqual(['[].a']);
    expect(
      schemaRows({
        allOf: [
          { properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'number' } } },
        ],
      }).map((r) => [r.path, r.required]),
    ).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(schemaRows({ properties: { self: { $circular: true } } }).map((r) => r.path)).toEqual([
      'self',
    ]);
    const deep = { properties: { a: { properties: { b: { properties: { c: { type: 'x' } } } } } } };
    expect(schemaRows(deep, 2).map((r) => r.path)).toEqual(['a', 'a.b']);
    expect(schemaRows(null)).toEqual([]);
  });
});

describe('prettyExample', () => {
  it('pretty-prints JSON text and keeps other text', () => {
    expect(prettyExample('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyExample('plain')).toBe('plain');
    // A long id keeps every digit (as a JavaScript number it would end in …700).
    expect(prettyExample('1460323737035677698')).toBe('1460323737035677698');
    expect(prettyExample(null)).toBeNull();
  });
});

describe('exampleAsText', () => {
  it('unquotes a string example and keeps other JSON as JSON', () => {
    expect(exampleAsText('"tw_123"')).toBe('tw_123');
    expect(exampleAsText('42')).toBe('42');
    expect(exampleAsText('1460323737035677698')).toBe('1460323737035677698');
    expect(exampleAsText('[1,2]')).toBe('[1,2]');
    expect(exampleAsText('not json')).toBe('not json');
    expect(exampleAsText(null)).toBe('');
  });
});
