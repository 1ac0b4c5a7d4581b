import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { graphql } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, Ctx, Query, Resolver } from 'type-graphql';
import { buildSchema, guardFields } from '../schema.js';
import { Access, assertEveryOperationHasARule, listAccessRules } from './access.js';
import { NO_COOKIES, type Context } from '../context.js';

describe('access rules', () => {
  it('declares a rule for every query, mutation and subscription (reviewed snapshot)', async () => {
    const rules = listAccessRules(await buildSchema());
    const listing = [...rules].map(([operation, rule]) => `${operation}: ${rule}`).sort();
    expect(listing.every((line) => !line.endsWith('undefined'))).toBe(true);
    expect(listing.join('\n')).toMatchSnapshot();
  });

  it('refuses to build a schema with an operation that declares no rule', async () => {
    @Resolver()
    class Undeclared {
      @Query(() => String)
      secret(): string {
        return 'leaked';
      }
    }
    const schema = await buildTypeGraphQLSchema({
      resolvers: [Undeclared],
      validate: false,
    });
    guardFields(schema);
    expect(() => assertEveryOperationHasARule(schema)).toThrow(/Query\.secret/);

    // And even if such a schema were served, the operation is denied at run time.
    const result = await graphql({
      schema,
      source: '{ secret }',
      contextValue: { viewer: null, cookies: NO_COOKIES } as unknown as Context,
    });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('enforces SIGNED_IN and STAFF rules before the resolver runs', async () => {
    let ran = 0;
    @Resolver()
    class Guarded {
      @Access('STAFF')
      @Query(() => String)
      staffOnly(@Ctx() _ctx: Context): string {
        ran++;
        return 'ok';
      }
    }
    const schema = await buildTypeGraphQLSchema({
      resolvers: [Guarded],
      validate: false,
    });
    guardFields(schema);
    const anonymous = await graphql({
      schema,
      source: '{ staffOnly }',
      contextValue: { viewer: null } as unknown as Context,
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const developer = await graphql({
      schema,
      source: '{ staffOnly }',
      contextValue: {
        viewer: { user: { platformRole: 'DEVELOPER' }, via: 'session', scopes: [] },
      } as unknown as Context,
    });
    expect(developer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(ran).toBe(0);
    const staff = await graphql({
      schema,
      source: '{ staffOnly }',
      contextValue: {
        viewer: { user: { platformRole: 'STAFF' }, via: 'session', scopes: [] },
      } as unknown as Context,
    });
    expect(staff.data).toEqual({ staffOnly: 'ok' });
    expect(ran).toBe(1);
  });
});
