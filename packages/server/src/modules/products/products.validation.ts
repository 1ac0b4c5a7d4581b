import { z } from 'zod';
import { fields } from '../../graphql/validation.js';
import { PermissionLevel } from '../apps/apps.entity.js';
import { ApprovalMode } from './products.entity.js';

export const MAX_PATH_PREFIXES = 50;
export const MAX_EMAIL_DOMAINS = 50;

const PATH_PREFIX = /^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/;
const SLUG = /^[a-z0-9-]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `/v1/weather/` and `/v1/weather` are the same prefix: trailing slashes are dropped. */
export function normalizePathPrefix(prefix: string): string {
  return prefix.trim().replace(/\/+$/, '');
}

/** Whether `path` is `prefix` itself or lies below it, segment-wise (`/v1` covers `/v1/x`, not `/v10`). */
export function isUnderPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

const pathPrefix = fields
  .line('A path prefix')
  .max(200, 'A path prefix is at most 200 characters.')
  .refine((value) => value.startsWith('/'), 'A path prefix starts with `/`.')
  .refine(
    (value) => PATH_PREFIX.test(value),
    'A path prefix holds only URL path characters (no spaces, `?` or `#`).',
  )
  .refine((value) => !value.includes('//'), 'A path prefix has no empty segment (`//`).')
  .transform(normalizePathPrefix)
  .refine((value) => value.length > 0, 'A path prefix names at least one segment, not just `/`.');

function uniqueList(label: string) {
  return (list: string[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    list.forEach((value, index) => {
      if (seen.has(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `${label} ${value} is listed twice.`,
        });
      }
      seen.add(value);
    });
  };
}

const pathPrefixes = z
  .array(pathPrefix)
  .min(1, 'Give at least one path prefix.')
  .max(MAX_PATH_PREFIXES, `At most ${MAX_PATH_PREFIXES} path prefixes.`)
  .superRefine(uniqueList('Path prefix'));

const dmPathPrefixes = z
  .array(pathPrefix)
  .max(MAX_PATH_PREFIXES, `At most ${MAX_PATH_PREFIXES} DM path prefixes.`)
  .superRefine(uniqueList('DM path prefix'));

const slug = fields
  .line('Slug')
  .min(1, 'Slug is required.')
  .max(50, 'Slug must be at most 50 characters.')
  .regex(SLUG, 'Slug may hold only lower-case letters, digits and `-`.');

const emailDomain = fields
  .line('An email domain')
  .toLowerCase()
  .transform((value) => value.replace(/^@/, ''))
  .refine((value) => DOMAIN.test(value), 'Enter a domain such as example.com.');

export const ApprovalRulesSchema = z
  .object({
    requireVerifiedOrg: z.boolean().nullish(),
    minimumPlanRank: z.number().int().min(0, 'A plan rank is 0 or more.').nullish(),
    maximumPermissionLevel: z.enum(PermissionLevel).nullish(),
    emailDomains: z
      .array(emailDomain)
      .max(MAX_EMAIL_DOMAINS, `At most ${MAX_EMAIL_DOMAINS} email domains.`)
      .nullish()
      .transform((list) => [...new Set(list ?? [])]),
  })
  .transform((rules) => ({
    requireVerifiedOrg: rules.requireVerifiedOrg === true,
    minimumPlanRank: rules.minimumPlanRank ?? null,
    maximumPermissionLevel: rules.maximumPermissionLevel ?? null,
    emailDomains: rules.emailDomains,
  }));

export type ParsedApprovalRules = z.infer<typeof ApprovalRulesSchema>;

export const CreateProductSchema = z.object({
  name: fields.name('Name'),
  slug,
  description: fields
    .optionalText('Description')
    .nullish()
    .transform((value) => value ?? ''),
  pathPrefixes,
  dmPathPrefixes: dmPathPrefixes.nullish().transform((value) => value ?? []),
  requiresProject: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  approvalMode: z
    .enum(ApprovalMode)
    .nullish()
    .transform((value) => value ?? ApprovalMode.MANUAL),
  approvalRules: ApprovalRulesSchema.nullish(),
});

/** Update: undefined or null leaves a field as it is, except approvalRules (null clears). */
export const UpdateProductSchema = z.object({
  productId: z.string(),
  name: fields.name('Name').nullish(),
  slug: slug.nullish(),
  description: fields.optionalText('Description').nullish(),
  pathPrefixes: pathPrefixes.nullish(),
  dmPathPrefixes: dmPathPrefixes.nullish(),
  requiresProject: z.boolean().nullish(),
  approvalMode: z.enum(ApprovalMode).nullish(),
  approvalRules: ApprovalRulesSchema.nullish(),
});

const cap = (label: string) =>
  z
    .number()
    .int(`${label} must be a whole number.`)
    .min(0, `${label} must be 0 or more.`)
    .max(Number.MAX_SAFE_INTEGER, `${label} is too large.`);

const count = (label: string, min: number, max: number) =>
  z
    .number()
    .int(`${label} must be a whole number.`)
    .min(min, `${label} must be at least ${min}.`)
    .max(max, `${label} must be at most ${max}.`);

const PLAN_FIELDS = {
  name: fields.name('Name', 50),
  rank: count('Rank', 0, 1_000_000),
  monthlyRequestCap: cap('Monthly request cap').nullable(),
  monthlyUnitCap: cap('Monthly unit cap').nullable(),
  rateLimitRequests: count('Rate limit', 1, 1_000_000_000),
  rateLimitWindowSeconds: count('Rate-limit window', 1, 86_400),
  maxApps: count('Max apps', 0, 1_000_000),
  maxDevEnvironments: count('Max dev environments', 0, 1_000_000),
};

export type PlanSettings = {
  [K in keyof typeof PLAN_FIELDS]: z.infer<(typeof PLAN_FIELDS)[K]>;
};
export const PLAN_SETTINGS = Object.keys(PLAN_FIELDS) as (keyof PlanSettings)[];

export const CreatePlanSchema = z.object({
  ...PLAN_FIELDS,
  monthlyRequestCap: PLAN_FIELDS.monthlyRequestCap.optional().transform((v) => v ?? null),
  monthlyUnitCap: PLAN_FIELDS.monthlyUnitCap.optional().transform((v) => v ?? null),
});

/** Update: undefined leaves a setting; null clears a cap (unlimited) and is refused elsewhere. */
export const UpdatePlanSchema = z.object({
  planId: z.string(),
  name: PLAN_FIELDS.name.optional(),
  rank: PLAN_FIELDS.rank.optional(),
  monthlyRequestCap: PLAN_FIELDS.monthlyRequestCap.optional(),
  monthlyUnitCap: PLAN_FIELDS.monthlyUnitCap.optional(),
  rateLimitRequests: PLAN_FIELDS.rateLimitRequests.optional(),
  rateLimitWindowSeconds: PLAN_FIELDS.rateLimitWindowSeconds.optional(),
  maxApps: PLAN_FIELDS.maxApps.optional(),
  maxDevEnvironments: PLAN_FIELDS.maxDevEnvironments.optional(),
});

const label = fields.name('Label', 50);

export const CreateDevEnvironmentSchema = z.object({
  organizationId: z.string(),
  productId: z.string(),
  label,
  appId: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
});

export const UpdateDevEnvironmentSchema = z.object({
  devEnvironmentId: z.string(),
  label: label.nullish(),
  appId: z.string().nullish(),
});
