import 'reflect-metadata';
import { buildSchema as buildTypeGraphQLSchema, type NonEmptyArray } from 'type-graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { assertEveryOperationHasARule, enforceAccess } from './auth/access.js';
import { accountsResolvers } from './modules/accounts/index.js';
import { appsResolvers } from './modules/apps/index.js';
import { auditResolvers } from './modules/audit/index.js';
import { mailResolvers } from './modules/mail/index.js';
import { NodeResolver } from './graphql/node.resolver.js';
import { refuseUnstorableArguments } from './graphql/storable-arguments.js';
import { orgsResolvers } from './modules/orgs/index.js';
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
import { catalogueResolvers } from './modules/catalogue/index.js';

// Every module's resolvers; a module registers its node finders in its index.ts.
const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  ...accountsResolvers,
  ...orgsResolvers,
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
  ...catalogueResolvers,
  ...gatewayTokensResolvers,
  ...liveResolvers,
];

export async function buildSchema(): Promise<GraphQLSchema> {
  const schema = await buildTypeGraphQLSchema({
    resolvers,
    globalMiddlewares: [enforceAccess, refuseUnstorableArguments],
    pubSub: unusedPubSub,
    validate: false,
    emitSchemaFile: false,
  });
  assertEveryOperationHasARule(schema);
  return schema;
}

/** The SDL committed as `schema.graphql`: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
