import { registerNodeFinder } from '../../graphql/node.service.js';
import {
  AppGrantsResolver,
  ApplicationReviewItemResolver,
  GrantReviewItemResolver,
  ProductGrantResolver,
  ReasonTemplateResolver,
} from './grants.resolver.js';
import { findGrant } from './grants.read.js';
import { findReasonTemplate } from './reason-templates.service.js';

registerNodeFinder('grt', findGrant);
registerNodeFinder('rsn', findReasonTemplate);

export const grantsResolvers: Function[] = [
  ProductGrantResolver,
  AppGrantsResolver,
  GrantReviewItemResolver,
  ApplicationReviewItemResolver,
  ReasonTemplateResolver,
];
