import { registerNodeFinder } from '../../graphql/node.service.js';
import { AppResolver, OrganizationAppsResolver, ProjectAppsResolver } from './apps.resolver.js';
import { findApp } from './apps.service.js';
import { releaseDeletedProject, transferOwnedApps } from './apps.hooks.js';
import { memberDeparture } from '../orgs/members.service.js';
import { projectDeletion } from '../projects/projects.service.js';

registerNodeFinder('app', (ctx, id) => findApp(ctx, id));
memberDeparture.register(transferOwnedApps);
projectDeletion.register(releaseDeletedProject);

export const appsResolvers: Function[] = [
  AppResolver,
  ProjectAppsResolver,
  OrganizationAppsResolver,
];
