import { Extensions } from 'type-graphql';
import { GraphQLObjectType, type GraphQLSchema, isObjectType, type GraphQLField } from 'graphql';
import { PatScope, PlatformRole } from './roles.js';
import { forbidden, unauthenticated } from '../errors.js';
import type { Context } from '../context.js';
import { assertTokenAllows, type OperationPermission } from './token-permissions.js';

/**
 * Who may call a root operation. Every query, mutation and subscription declares one with
 * `@Access(...)`; an operation without a rule is refused (and the schema refuses to build).
 * Object-level checks (which organization, which app) live in the services.
 *
 * - PUBLIC: anyone, signed in or not.
 * - SIGNED_IN: a signed-in user, by session cookie or personal access token (a classic token
 *   needs READ for queries and subscriptions, WRITE for mutations; a fine-grained one what
 *   `OPERATION_PERMISSIONS` says, token-permissions.ts).
 * - SESSION: a signed-in user by session cookie only (account security: tokens, password).
 * - STAFF: a signed-in portal staff member.
 */
export type AccessRule = 'PUBLIC' | 'SIGNED_IN' | 'SESSION' | 'STAFF';

export const ACCESS_EXTENSION = 'access';

export function Access(rule: AccessRule): MethodDecorator & ClassDecorator & PropertyDecorator {
  return Extensions({ [ACCESS_EXTENSION]: rule });
}

/** The rule a root field declares (`@Access`), if any. */
export function accessRuleOf(field: GraphQLField<unknown, unknown>): AccessRule | undefined {
  return field.extensions?.[ACCESS_EXTENSION] as AccessRule | undefined;
}

/**
 * Refuses the viewer an operation of root type `operation` (`Query`, `Mutation`,
 * `Subscription`) whose rule is `rule` and whose fine-grained token permission is `permission`
 * (none listed: refused to fine-grained tokens).
 */
export function checkAccess(
  rule: AccessRule | undefined,
  ctx: Context,
  operation: string,
  permission: OperationPermission | undefined,
): void {
  if (!rule) throw forbidden('This operation declares no access rule.');
  if (rule === 'PUBLIC') return;
  const viewer = ctx.viewer;
  if (!viewer) throw unauthenticated();
  if (viewer.via === 'token') {
    if (rule === 'SESSION') throw forbidden('Sign in with a session to do this; tokens cannot.');
    if (viewer.grant) {
      if (!permission || permission === 'session') {
        throw forbidden('Fine-grained tokens cannot do this.');
      }
      if (typeof permission !== 'string') assertTokenAllows(viewer, permission[0], permission[1]);
    } else {
      const needed = operation === 'Mutation' ? PatScope.WRITE : PatScope.READ;
      if (!viewer.scopes.includes(needed)) {
        throw forbidden(`This token lacks the ${needed} scope.`);
      }
    }
  }
  if (rule === 'STAFF' && viewer.user.platformRole !== PlatformRole.STAFF) {
    throw forbidden('Only portal staff can do this.');
  }
}

/** Every root operation with its rule, e.g. `Mutation.createApp: SIGNED_IN`. */
export function listAccessRules(schema: GraphQLSchema): Map<string, AccessRule | undefined> {
  const rules = new Map<string, AccessRule | undefined>();
  for (const type of [
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ]) {
    if (!type || !isObjectType(type)) continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      rules.set(
        `${type.name}.${field.name}`,
        field.extensions?.[ACCESS_EXTENSION] as AccessRule | undefined,
      );
    }
  }
  return rules;
}

export function assertEveryOperationHasARule(schema: GraphQLSchema): void {
  const missing = [...listAccessRules(schema)].filter(([, rule]) => !rule).map(([name]) => name);
  if (missing.length) throw new Error(`Operations without an access rule: ${missing.join(', ')}`);
}
