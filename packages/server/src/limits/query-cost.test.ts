import { parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../schema.js';
import { COST, operationCost } from './query-cost.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

const nodesOf = (query: string, variables?: Record<string, unknown>, name?: string) =>
  operationCost(schema, parse(query), name, variables)?.nodes;
const costOf = (query: string, variables?: Record<string, unknown>, name?: string) =>
  operationCost(schema, parse(query), name, variables)?.cost;

const LIST = COST.DEFAULT_LIST_SIZE;

describe('operation cost, worked out before the operation runs', () => {
  it('counts 1 per object and nothing per scalar', () => {
    expect(nodesOf('{ __typename }')).toBe(0);
    expect(nodesOf('{ viewer { id name email } }')).toBe(1);
  });

  it('costs a point per hundred nodes, rounded up, at least 1', () => {
    expect(costOf('{ __typename }')).toBe(1);
    expect(costOf('{ viewer { id } }')).toBe(1);
    // 1 + 1 + 100 nodes: 2 points.
    expect(costOf('{ viewer { notifications(first: 100) { nodes { id } } } }')).toBe(2);
    // 1 + 1 + 10 × (1 + 10 × (1 + 10 × 1)) = 1,112 nodes: 12 points.
    expect(costOf('{ viewer { organizations { projects { apps { owner { id } } } } } }')).toBe(12);
  });

  it("counts a connection's nodes once per item of the page, however deep they sit", () => {
    // organization (1) + its projects page (1) + 100 projects, each with an apps page (1) of
    // 25 apps (25): the nesting adds no factor of its own.
    expect(
      nodesOf(
        `query ($id: ID!) { organization(id: $id) { projectsConnection(first: 100) {
          totalCount nodes { id appsConnection(first: 25) { totalCount nodes { id } } } } } }`,
      ),
    ).toBe(1 + 1 + 100 * (1 + 1 + 25));
  });

  it('counts what is selected under a plain list once per item it may return', () => {
    // viewer (1) + organizations (1) + each organization's projects (1) and apps (1).
    expect(nodesOf('{ viewer { organizations { id name } } }')).toBe(2);
    expect(nodesOf('{ viewer { organizations { projects { id } apps { id } } } }')).toBe(
      1 + 1 + LIST * 2,
    );
    expect(nodesOf('{ viewer { organizations { projects { apps { id owner { id } } } } } }')).toBe(
      1 + 1 + LIST * (1 + LIST * (1 + LIST * 1)),
    );
  });

  it('counts a page by the size asked for (a variable or a literal), else its default, capped', () => {
    const page = (first: string) =>
      `{ viewer { notifications${first} { edges { node { id } } nodes { id } } } }`;
    // viewer + notifications + per item: edges (1) + node (1) + nodes (1)
    expect(nodesOf(page('(first: 5)'))).toBe(1 + 1 + 5 * 3);
    expect(nodesOf(page(''))).toBe(1 + 1 + 50 * 3);
    expect(nodesOf(page('(first: 100000)'))).toBe(1 + 1 + COST.MAX_PAGE * 3);
    expect(
      nodesOf('query ($n: Int!) { viewer { notifications(first: $n) { nodes { id } } } }', {
        n: 7,
      }),
    ).toBe(1 + 1 + 7);
  });

  it('follows fragments, named and inline', () => {
    const plain = nodesOf('{ viewer { organizations { projects { id } } } }');
    expect(
      nodesOf(`
        query { viewer { ...Orgs } }
        fragment Orgs on User { organizations { ... on Organization { projects { id } } } }
      `),
    ).toBe(plain);
  });

  it('weighs each top-level mutation more, and picks the named operation', () => {
    expect(costOf('mutation { signOut { __typename } }')).toBe(1 + COST.MUTATION_COST);
    const document = `
      query A { viewer { id } }
      query B { viewer { organizations { id } } }
    `;
    expect(nodesOf(document, undefined, 'A')).toBe(1);
    expect(nodesOf(document, undefined, 'B')).toBe(2);
    expect(costOf(document, undefined, 'B')).toBe(1);
    expect(operationCost(schema, parse(document), undefined, undefined)).toBeNull();
  });

  it('answers a document it has costed again, unless its cost reads a variable', () => {
    const paged = parse('query ($n: Int) { viewer { notifications(first: $n) { nodes { id } } } }');
    expect(operationCost(schema, paged, undefined, { n: 5 })?.nodes).toBe(1 + 1 + 5);
    expect(operationCost(schema, paged, undefined, { n: 50 })?.nodes).toBe(1 + 1 + 50);
    const named = parse('query A { viewer { id } } query B { viewer { organizations { id } } }');
    expect(operationCost(schema, named, 'A', undefined)?.nodes).toBe(1);
    expect(operationCost(schema, named, 'B', undefined)?.nodes).toBe(2);
    expect(operationCost(schema, named, 'A', undefined)?.nodes).toBe(1);
    expect(operationCost(schema, named, undefined, undefined)).toBeNull();
    expect(operationCost(schema, named, 'B', undefined)?.nodes).toBe(2);
  });
});
