import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedFields, subfields } from './selection.js';

const schema = buildSchema(`
  type Grant { id: ID! usage: Int }
  type App { id: ID! name: String credentials: [String] grants: [Grant] }
  type Page { nodes: [App] edges: [Edge] total: Int }
  type Edge { node: App }
  type Query { apps: [App] page: Page }
`);

/** The resolve info of the root field of `query` (its first field). */
function infoOf(query: string): GraphQLResolveInfo {
  let seen: GraphQLResolveInfo | undefined;
  // A function on the root value is called with (args, context, info).
  const capture = (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
    seen ??= info;
    return null;
  };
  execute({
    schema,
    document: parse(query),
    rootValue: { apps: capture, page: capture },
  });
  if (!seen) throw new Error('no root field resolved');
  return seen;
}

describe('selectedFields', () => {
  it('names the fields selected on what the field returns, through fragments and inline fragments', () => {
    const info = infoOf(`
      query { apps { id ...More ... on App { grants { id } } } }
      fragment More on App { name credentials }
    `);
    expect([...selectedFields(info).keys()].sort()).toEqual([
      'credentials',
      'grants',
      'id',
      'name',
    ]);
  });

  it('keeps every occurrence of a field, under any alias', () => {
    const info = infoOf(`query { apps { grants { id } again: grants { usage } } }`);
    const grants = selectedFields(info).get('grants');
    expect(grants).toHaveLength(2);
    expect([...subfields(info, grants).keys()].sort()).toEqual(['id', 'usage']);
  });

  it('follows a path to the items of a connection', () => {
    const info = infoOf(
      `query { page { total nodes { credentials } edges { node { grants { id } } } } }`,
    );
    expect([...selectedFields(info, ['nodes']).keys()]).toEqual(['credentials']);
    expect([...selectedFields(info, ['edges', 'node']).keys()]).toEqual(['grants']);
    expect(selectedFields(info, ['missing']).size).toBe(0);
  });

  it('finds nothing under a field that is not selected', () => {
    const info = infoOf(`query { apps { id } }`);
    expect(subfields(info, selectedFields(info).get('grants')).size).toBe(0);
  });
});
