import { registerNodeFinder } from '../../graphql/node.service.js';
import {
  ApplicationMessageResolver,
  DeveloperApplicationResolver,
  UserDeveloperApplicationResolver,
} from './applications.resolver.js';
import { findApplicationMessage, findDeveloperApplication } from './applications.service.js';

registerNodeFinder('dap', findDeveloperApplication);
registerNodeFinder('dam', findApplicationMessage);

export const applicationsResolvers: Function[] = [
  DeveloperApplicationResolver,
  ApplicationMessageResolver,
  UserDeveloperApplicationResolver,
];
