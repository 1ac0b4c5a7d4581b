import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, NoDeprecatedCustomRule, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

// Tests run from packages/web; the schema and the documents are at the repository's root.
const root = path.resolve(process.cwd(), '../..');
const schema = buildSchema(readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
const documents = JSON.parse(
  readFileSync(path.join(root, 'trusted-documents.json'), 'utf8'),
) as Record<string, string>;

describe("the web app's operations", () => {
  it('use no deprecated field, argument or enum value of the schema', () => {
    const uses = Object.values(documents).flatMap((text) =>
      validate(schema, parse(text), [NoDeprecatedCustomRule]).map((error) => error.message),
    );
    expect(uses).toEqual([]);
  });

  it('are checked: a deprecated field is found', () => {
    const errors = validate(
      schema,
      parse('query ($id: ID!) { organization(id: $id) { id members { id } } }'),
      [NoDeprecatedCustomRule],
    );
    expect(errors.map((error) => error.message)).toEqual([
      'The field Organization.members is deprecated. Use membersConnection: a page at a time, with totalCount.',
    ]);
  });
});
