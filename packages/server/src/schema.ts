import 'reflect-metadata';
import {
  buildSchema as buildTypeGraphQLSchema,
  getMetadataStorage,
  type NonEmptyArray,
} from 'type-graphql';
import {
  defaultFieldResolver,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLAbstractType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { accessRuleOf, assertEveryOperationHasARule, checkAccess } from './auth/access.js';
import {
  areaEntered,
  areaOfType,
  assertTokenAllows,
  NODE_TYPE,
  OPERATION_PERMISSIONS,
  TokenAccess,
} from './auth/token-permissions.js';
import { forbidden } from './errors.js';
import type { Context } from './context.js';
import { accountsResolvers } from './modules/accounts/index.js';
import { appsResolvers } from './modules/apps/index.js';
import { auditResolvers } from './modules/audit/index.js';
import { mailResolvers } from './modules/mail/index.js';
import { NodeResolver } from './graphql/node.resolver.js';
import { assertStorableArguments } from './graphql/storable-arguments.js';
import { orgsResolvers } from './modules/orgs/index.js';
import { tokensResolvers } from './modules/tokens/index.js';
import { projectsResolvers } from './modules/projects/index.js';
import { productsResolvers } from './modules/products/index.js';
import { grantsResolvers } from './modules/grants/index.js';
import { notificationsResolvers } from './modules/notifications/index.js';
import { applicationsResolvers } from './modules/applications/index.js';
import { credentialsResolvers } from './modules/credentials/index.js';
import { gatewayTokensResolvers } from './modules/gateway-tokens/index.js';
import { appLifecycleResolvers } from './modules/app-lifecycle/index.js';
import { unusedPubSub } from './events/index.js';
import { liveResolvers } from './modules/live/index.js';
import { RateLimitResolver } from './limits/rate-limit.resolver.js';
import { usageResolvers } from './modules/usage/index.js';
import { webhooksResolvers } from './modules/webhooks/index.js';
import { staffResolvers } from './modules/staff/index.js';
import { oauthResolvers } from './modules/oauth/index.js';
import { catalogueResolvers } from './modules/catalogue/index.js';

// Every module's resolvers; a module registers its node finders in its index.ts.
const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  RateLimitResolver,
  ...accountsResolvers,
  ...orgsResolvers,
  ...tokensResolvers,
  ...projectsResolvers,
  ...appsResolvers,
  ...auditResolvers,
  ...mailResolvers,
  ...productsResolvers,
  ...grantsResolvers,
  ...notificationsResolvers,
  ...applicationsResolvers,
  ...credentialsResolvers,
  ...appLifecycleResolvers,
  ...usageResolvers,
  ...oauthResolvers,
  ...catalogueResolvers,
  ...gatewayTokensResolvers,
  ...webhooksResolvers,
  ...staffResolvers,
  ...liveResolvers,
];

export async function buildSchema(): Promise<GraphQLSchema> {
  plainPropertyFields();
  const schema = await buildTypeGraphQLSchema({
    resolvers,
    pubSub: unusedPubSub,
    validate: false,
    emitSchemaFile: false,
  });
  assertEveryOperationHasARule(schema);
  assertEveryTypeHasAnArea(schema);
  directFieldResolvers(schema);
  guardFields(schema);
  describeRootTypes(schema);
  return schema;
}

/**
 * A field without a resolver of its own reads its property as graphql-js does by default.
 * type-graphql would otherwise wrap each such field in a resolver of its own, there only to run
 * field middlewares, which Portico does not use (its checks are made by `guardFields`): a
 * dashboard answers several hundred such fields. A middleware or an auth rule on a field would
 * be skipped, so neither is allowed.
 */
function plainPropertyFields(): void {
  const storage = getMetadataStorage();
  const guarded = storage.fields.filter(
    (field) => (field.middlewares?.length ?? 0) > 0 || field.roles !== undefined,
  );
  if (guarded.length > 0) {
    throw new Error(
      `Fields take no middleware or auth rule (see guardFields): ${guarded.map((field) => `${field.target.name}.${field.name}`).join(', ')}`,
    );
  }
  for (const objectType of storage.objectTypes) objectType.simpleResolvers ??= true;
}

/** A field resolver's parameters that `directFieldResolvers` passes itself. */
type Param = NonNullable<
  ReturnType<typeof getMetadataStorage>['fieldResolvers'][number]['params']
>[number];
type DirectParam = Extract<Param, { kind: 'root' | 'context' | 'info' }>;

const isDirectParam = (param: Param): param is DirectParam =>
  param.kind === 'root' || param.kind === 'context' || param.kind === 'info';

/** Reads one parameter's value from what graphql-js passes a resolver. */
type ParamReader = (root: unknown, context: Context, info: GraphQLResolveInfo) => unknown;

function paramReader(param: DirectParam): ParamReader {
  if (param.kind === 'info') return (_root, _context, info) => info;
  const { propertyName } = param;
  if (param.kind === 'context') {
    return propertyName
      ? (_root, context) => (context as unknown as Record<string, unknown>)[propertyName]
      : (_root, context) => context;
  }
  return propertyName ? (root) => (root as Record<string, unknown>)[propertyName] : (root) => root;
}

/**
 * A field resolver of a resolver class whose parameters are only the parent (`@Root`), the
 * context and the resolve info is called straight from graphql-js. type-graphql would call it
 * through a handler made for the general case (a parameter object, a middleware runner and a
 * promise check per call), for every field of every object a list answers. A parent that is
 * not already of the resolver's type (type-graphql would convert it) still goes the general way.
 */
function directFieldResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, unknown>>();
  const typeNames = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || resolver.roles !== undefined) continue;
    if ((resolver.middlewares?.length ?? 0) > 0) continue;
    const all = resolver.params ?? [];
    const params = all.filter(isDirectParam).sort((a, b) => a.index - b.index);
    if (params.length !== all.length || params.length > 3) continue;
    if (params.some((param, i) => param.index !== i)) continue;
    const objectClass = resolver.getObjectType?.();
    const typeName = objectClass && typeNames.get(objectClass);
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = type && isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    const general = field?.resolve;
    if (!field || !general || !objectClass) continue;
    let instance = instances.get(resolver.target);
    if (!instance) {
      instance = new (resolver.target as new () => Record<string, unknown>)();
      instances.set(resolver.target, instance);
    }
    const method = instance[resolver.methodName];
    if (typeof method !== 'function') continue;
    const call = method as (...values: unknown[]) => unknown;
    const target = instance;
    const [first, second, third] = params.map(paramReader);
    const direct: ParamReader = !first
      ? () => call.call(target)
      : !second
        ? (root, context, info) => call.call(target, first(root, context, info))
        : !third
          ? (root, context, info) =>
              call.call(target, first(root, context, info), second(root, context, info))
          : (root, context, info) =>
              call.call(
                target,
                first(root, context, info),
                second(root, context, info),
                third(root, context, info),
              );
    const rootTyped = params.some((param) => param.kind === 'root' && !param.propertyName);
    field.resolve = (root: unknown, args, context: Context, info) =>
      rootTyped && root != null && !(root instanceof objectClass)
        ? general(root, args, context, info)
        : direct(root, context, info);
  }
}

/** The object and interface types of the schema, roots and introspection left out. */
function dataTypes(schema: GraphQLSchema): string[] {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map(
      (type) => type?.name,
    ),
  );
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) || isInterfaceType(type))
    .map((type) => type.name)
    .filter((name) => !name.startsWith('__') && !roots.has(name));
}

/**
 * Every object type belongs to a token area or to none (`TYPE_AREAS`, token-permissions.ts):
 * a type nobody placed would be readable by every fine-grained token through nesting.
 */
export function assertEveryTypeHasAnArea(schema: GraphQLSchema): void {
  const missing = dataTypes(schema).filter(
    (name) => name !== NODE_TYPE && areaOfType(name) === undefined,
  );
  if (missing.length) throw new Error(`Types without a token area: ${missing.join(', ')}`);
}

/** type-graphql builds the root types itself, without a way to describe them. */
function describeRootTypes(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query)
    query.description = 'What can be read: start from `viewer`, or fetch any object by id.';
  if (mutation) {
    mutation.description =
      'What can be changed. Each mutation takes one `input` (or none) and refuses bad input with a typed error, changing nothing.';
  }
  if (subscription) {
    subscription.description =
      'Live events over WebSocket (graphql-ws). Pass `after` with the last event id you saw to be sent what you missed.';
  }
}

/**
 * Before its resolver runs, every query, mutation and subscription field checks its declared
 * access rule (none declared: FORBIDDEN) and what it asks of a fine-grained token; every field
 * that leads into another token area checks that a fine-grained token may read it; and every
 * field with arguments refuses a NUL or an unpaired surrogate in them (BAD_USER_INPUT naming
 * the argument). Only the fields that need a check get one: a type-graphql global middleware
 * would wrap every field of every object in a chain of promises, which costs a large answer
 * (the dashboard's) most of its time.
 * A subscription's `resolve` runs per event; its `subscribe` is checked by the live module.
 */
export function guardFields(schema: GraphQLSchema): void {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (type) => type != null,
    ),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = roots.has(type);
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      const perObject = isAbstractType(target) && target.name === NODE_TYPE;
      const permission = root ? OPERATION_PERMISSIONS[`${type.name}.${field.name}`] : undefined;
      const targetArea = perObject ? null : (areaOfType(target.name) ?? null);
      const entered = root ? null : areaEntered(type.name, targetArea);
      const checksResult = perObject && (!root || permission === 'result');
      if (!root && field.args.length === 0 && !entered && !checksResult) continue;
      const inner = field.resolve ?? defaultFieldResolver;
      const resolve = checksResult
        ? readableResult(inner, target as GraphQLAbstractType, root ? null : type.name)
        : inner;
      const rule = accessRuleOf(field);
      const hasArguments = field.args.length > 0;
      field.resolve = (source, args: Record<string, unknown>, context: Context, info) => {
        if (root) checkAccess(rule, context, type.name, permission);
        if (entered && context.viewer?.grant) {
          assertTokenAllows(context.viewer, entered, TokenAccess.READ);
        }
        if (hasArguments) assertStorableArguments(args);
        return resolve(source, args, context, info);
      };
    }
  }
}

/**
 * `resolve`, refusing a fine-grained token an answer whose type (an implementation of
 * `abstractType`, e.g. of `Node`) lies in an area it may not read.
 */
function readableResult(
  resolve: GraphQLFieldResolver<unknown, Context>,
  abstractType: GraphQLAbstractType,
  /** The type of the field's parent; null for a root field (its own permission was checked). */
  parentType: string | null,
): GraphQLFieldResolver<unknown, Context> {
  return (source, args, context, info) => {
    if (!context.viewer?.grant) return resolve(source, args, context, info);
    return Promise.resolve(resolve(source, args, context, info)).then(async (value: unknown) => {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null || item === undefined) continue;
        const name = await abstractType.resolveType?.(item, context, info, abstractType);
        const area = typeof name === 'string' ? areaOfType(name) : undefined;
        if (area === undefined) throw forbidden('Fine-grained tokens cannot read this.');
        const entered = parentType === null ? area : areaEntered(parentType, area);
        if (entered !== null) assertTokenAllows(context.viewer, entered, TokenAccess.READ);
      }
      return value;
    });
  };
}

/** The SDL committed as `schema.graphql`: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
