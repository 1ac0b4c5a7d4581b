import { z } from 'zod';
import { badInput } from '../../errors.js';
import { fields, urlMessages, urlProblem } from '../../graphql/validation.js';
import { PermissionLevel, type CustomAttribute } from './apps.entity.js';

export const APP_NAME_MAX = 50;
export const CALLBACK_URLS_MAX = 10;
export const ATTRIBUTES_MAX = 20;
const ATTRIBUTE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * https, or http for localhost and 127.0.0.1 only; never a fragment (RFC 6749 §3.1.2), a
 * user name or password, or a link-local, metadata or unspecified host.
 */
export function isAllowedCallbackUrl(value: string): boolean {
  return urlProblem(value) === null && hasAllowedSchemeAndNoFragment(value);
}

function hasAllowedSchemeAndNoFragment(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash || value.includes('#')) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const CALLBACK_URL = 'Callback URLs';

const callbackUrl = fields
  .line('Callback URL')
  .max(2048, 'Callback URL is too long.')
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem === 'userinfo') {
      ctx.addIssue({ code: 'custom', message: urlMessages.userinfo(CALLBACK_URL) });
    } else if (problem === 'forbidden-host') {
      ctx.addIssue({ code: 'custom', message: urlMessages.forbiddenHost(CALLBACK_URL) });
    } else if (!hasAllowedSchemeAndNoFragment(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Callback URLs must use https (http only for localhost or 127.0.0.1) and have no #fragment.',
      });
    }
  });

const appName = fields
  .line('App name')
  .min(1, 'App name is required.')
  .max(APP_NAME_MAX, `App name must be at most ${APP_NAME_MAX} characters.`);

/** Free text that may be empty; null means empty. */
const text = (label: string, max = 2000) =>
  fields
    .text(label)
    .max(max, `${label} must be at most ${max} characters.`)
    .nullish()
    .transform((value) => value ?? '');

/** Short text that may be absent; null or empty means none. */
const optionalShortText = (label: string, max: number) =>
  fields
    .line(label)
    .max(max, `${label} must be at most ${max} characters.`)
    .nullish()
    .transform((value) => (value ? value : null));

const callbackUrls = z
  .array(callbackUrl)
  .max(CALLBACK_URLS_MAX, `At most ${CALLBACK_URLS_MAX} callback URLs.`)
  .superRefine((urls, ctx) => {
    urls.forEach((url, index) => {
      if (urls.indexOf(url) !== index) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: 'This callback URL is listed twice.',
        });
      }
    });
  })
  .nullish()
  .transform((value) => value ?? []);

const attributes = z
  .array(
    z.object({
      key: fields
        .line('Key')
        .regex(ATTRIBUTE_KEY, 'Keys are 1 to 64 letters, digits, `_`, `.` or `-`.'),
      value: fields.text('Value').max(1024, 'Values are at most 1024 characters.'),
    }),
  )
  .max(ATTRIBUTES_MAX, `At most ${ATTRIBUTES_MAX} custom attributes.`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((attribute, index) => {
      if (seen.has(attribute.key)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'key'],
          message: `The key "${attribute.key}" is used twice.`,
        });
      }
      seen.add(attribute.key);
    });
  })
  .nullish()
  .transform((value): CustomAttribute[] => value ?? []);

const permissionLevel = z.enum(PermissionLevel, { error: 'Choose a permission level.' });
const flag = (label: string) => z.boolean({ error: `${label} must be true or false.` });

/** Settings that may be empty: null clears them. */
const clearable = {
  description: text('Description'),
  websiteUrl: fields.optionalUrl('Website URL'),
  callbackUrls,
  termsOfServiceUrl: fields.optionalUrl('Terms of service URL'),
  privacyPolicyUrl: fields.optionalUrl('Privacy policy URL'),
  organizationName: optionalShortText('Organization name', 200),
  organizationUrl: fields.optionalUrl('Organization URL'),
  useCase: text('Use case'),
  iconUrl: fields.optionalUrl('Icon URL'),
  attributes,
};

export const CreateAppSchema = z.object({
  organizationId: z.string(),
  projectId: z
    .string()
    .nullish()
    .transform((value) => value || null),
  name: appName,
  ...clearable,
  permissionLevel: permissionLevel.nullish().transform((value) => value ?? PermissionLevel.READ),
  threeLeggedOAuth: flag('3-legged OAuth')
    .nullish()
    .transform((value) => value ?? false),
  requestEmail: flag('Request email')
    .nullish()
    .transform((value) => value ?? false),
});

/** Every field but appId optional; a field left out is not changed. */
export const UpdateAppSchema = z.object({
  appId: z.string(),
  projectId: z
    .string()
    .nullish()
    .transform((value) => value || null),
  name: appName.optional(),
  ...clearable,
  permissionLevel: permissionLevel.optional(),
  threeLeggedOAuth: flag('3-legged OAuth').optional(),
  requestEmail: flag('Request email').optional(),
});

export const DeleteAppSchema = z.object({
  appId: z.string(),
  reason: fields
    .text('The reason', 'Say why the app is deleted.')
    .min(1, 'Say why the app is deleted.')
    .max(500, 'The reason must be at most 500 characters.'),
});

/** The app settings a create or update sets (everything but the organization and project). */
export const APP_SETTINGS = [
  'name',
  'description',
  'websiteUrl',
  'callbackUrls',
  'termsOfServiceUrl',
  'privacyPolicyUrl',
  'organizationName',
  'organizationUrl',
  'useCase',
  'iconUrl',
  'permissionLevel',
  'threeLeggedOAuth',
  'requestEmail',
  'attributes',
] as const;
export type AppSetting = (typeof APP_SETTINGS)[number];

/** Users' email may only be requested by an app that publishes its terms and privacy policy. */
export function assertEmailRequestAllowed(settings: {
  requestEmail: boolean;
  termsOfServiceUrl: string | null;
  privacyPolicyUrl: string | null;
}): void {
  if (settings.requestEmail && (!settings.termsOfServiceUrl || !settings.privacyPolicyUrl)) {
    throw badInput(
      'requestEmail',
      "Requesting users' email needs a terms of service URL and a privacy policy URL.",
    );
  }
}

export const SUSPENSION_REASON_MIN = 3;
export const SUSPENSION_REASON_MAX = 500;

export const SuspendAppSchema = z.object({
  appId: z.string().trim().min(1, 'The app id is missing.'),
  reason: fields
    .text('The reason', 'Say why the app is suspended.')
    .min(
      SUSPENSION_REASON_MIN,
      `Say why the app is suspended (at least ${SUSPENSION_REASON_MIN} characters).`,
    )
    .max(SUSPENSION_REASON_MAX, `The reason must be at most ${SUSPENSION_REASON_MAX} characters.`),
});

export const UnsuspendAppSchema = z.object({
  appId: z.string().trim().min(1, 'The app id is missing.'),
});
