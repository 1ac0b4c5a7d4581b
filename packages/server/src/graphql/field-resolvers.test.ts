import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../context.js';
import { Credential, CredentialStatus } from '../modules/credentials/credentials.entity.js';
import { buildSchema } from '../schema.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

/** The resolver of `type.field` as the schema runs it. */
function resolverOf(type: string, field: string) {
  const object = schema.getType(type);
  const resolve = isObjectType(object) ? object.getFields()[field]?.resolve : undefined;
  if (!resolve) throw new Error(`${type}.${field} has no resolver`);
  return (root: unknown) =>
    resolve(root, {}, {} as Context, {} as GraphQLResolveInfo) as CredentialStatus;
}

/** A credential as a list reads it: an instance of the entity holding the row's values. */
function credentialWith(values: Partial<Credential>): Credential {
  return Object.assign(Object.create(Credential.prototype) as Credential, values);
}

describe('a field resolver taking the parent only', () => {
  it('answers from an instance of its type, as its method does', () => {
    const status = resolverOf('Credential', 'status');
    const expired = new Date(Date.now() - 60_000);
    expect(status(credentialWith({ revokedAt: null, expiresAt: null }))).toBe(
      CredentialStatus.ACTIVE,
    );
    expect(status(credentialWith({ revokedAt: new Date(), expiresAt: null }))).toBe(
      CredentialStatus.REVOKED,
    );
    expect(status(credentialWith({ revokedAt: null, expiresAt: expired }))).toBe(
      CredentialStatus.EXPIRED,
    );
  });

  it('leaves a parent that is not an instance of its type to type-graphql to convert', () => {
    // Called with a plain object, `statusAt` would be missing (a TypeError naming it). type-graphql
    // converts the parent first, by constructing a Credential with no fields, which the entity's
    // constructor refuses: that is the error answered, as before direct calls.
    const status = resolverOf('Credential', 'status');
    expect(() => status({ revokedAt: new Date(), expiresAt: null })).toThrow(
      /Cannot read properties of undefined \(reading 'app'\)/,
    );
  });
});
