import { assertOrgAction } from '../orgs/orgs.access.js';
import { registerNodeFinder } from '../../graphql/node.service.js';
import { findDevEnvironment } from './environments.service.js';
import { findPlan } from './plans.service.js';
import { PlanSubscription } from './products.entity.js';
import {
  DevEnvironmentResolver,
  OrganizationProductsResolver,
  PlanResolver,
  PlanSubscriptionResolver,
  ProductResolver,
} from './products.resolver.js';
import { findProduct } from './products.service.js';

registerNodeFinder('prd', (ctx, id) => findProduct(ctx, id));
registerNodeFinder('pln', (ctx, id) => findPlan(ctx, id));
registerNodeFinder('env', (ctx, id) => findDevEnvironment(ctx, id));
registerNodeFinder('sub', async (ctx, id) => {
  const subscription = await ctx.em.findOne(PlanSubscription, { id });
  if (!subscription) return null;
  await assertOrgAction(ctx, subscription.organization.id, 'org:read');
  return subscription;
});

export { evaluateApprovalRules } from './approval-rules.js';
export { ensureDefaultPlans, planFor } from './plans.service.js';

export const productsResolvers: Function[] = [
  ProductResolver,
  PlanResolver,
  PlanSubscriptionResolver,
  DevEnvironmentResolver,
  OrganizationProductsResolver,
];
