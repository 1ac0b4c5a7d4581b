import { registerNodeFinder } from '../../graphql/node.service.js';
import { AppResolver, OrganizationAppsResolver, ProjectAppsResolver } from './apps.resolver.js';
import { findApp } from './apps.service.js';

registerNodeFinder('app', (ctx, id) => findApp(ctx, id));

export const appsResolvers: Function[] = [
  AppResolver,
  ProjectAppsResolver,
  OrganizationAppsResolver,
];
