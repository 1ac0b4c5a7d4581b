import {
  AppUsageResolver,
  GrantUsageResolver,
  UsageCapResolver,
  UsageResolver,
} from './usage.resolver.js';

export const usageResolvers: Function[] = [
  UsageResolver,
  UsageCapResolver,
  AppUsageResolver,
  GrantUsageResolver,
];
