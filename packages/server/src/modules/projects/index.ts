import { registerNodeFinder } from '../../graphql/node.service.js';
import { OrganizationProjectsResolver, ProjectResolver } from './projects.resolver.js';
import { findProject } from './projects.service.js';

registerNodeFinder('prj', (ctx, id) => findProject(ctx, id));

export const projectsResolvers: Function[] = [ProjectResolver, OrganizationProjectsResolver];
