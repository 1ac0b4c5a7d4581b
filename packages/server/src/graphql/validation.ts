import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { badInput } from '../errors.js';

/** Parses input with a zod schema; the first problem becomes a BAD_USER_INPUT naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'input';
  throw badInput(field, issue?.message ?? 'Invalid input.');
}

/** A UTF-16 surrogate half without its other half: not Unicode, refused by PostgreSQL's jsonb. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL, which PostgreSQL cannot store in text, or an unpaired surrogate. */
export function hasUnstorableCharacter(value: string): boolean {
  return value.includes('\u0000') || UNPAIRED_SURROGATE.test(value);
}

/** C0 and C1 control characters (and DEL) other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * What a single line of text must not hold, beyond what long text may not: every control
 * character (tabs and line breaks too, and the Unicode line and paragraph separators), the
 * bidirectional marks, embeddings, overrides and isolates that can make a name read as another
 * (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), and zero-width characters (U+200B–U+200D,
 * U+2060, U+FEFF).
 */
const NOT_IN_A_LINE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060\u2066-\u2069\uFEFF]/;

/** Whether long text (a description, a reason, Markdown) holds only what may be stored and shown. */
export function isCleanText(value: string): boolean {
  return !CONTROL_BUT_LINE_BREAKS.test(value) && !hasUnstorableCharacter(value);
}

/** Whether one line of text (a name, a label, a slug) holds no control, bidi or invisible character. */
export function isCleanLine(value: string): boolean {
  return !NOT_IN_A_LINE.test(value) && !hasUnstorableCharacter(value);
}

const brokenTextMessage = (label: string): string =>
  `${label} must not contain control characters or broken Unicode.`;

/**
 * Link-local, cloud metadata and unspecified addresses: a URL people or services may follow
 * must not lead there. IPv4 ranges are also blocked in their IPv6 forms: IPv4-mapped (which
 * the list matches by itself), NAT64 and, but for 0.0.0.0/8 (that would take `::1` too),
 * IPv4-compatible.
 */
const FORBIDDEN_ADDRESSES = (() => {
  const list = new BlockList();
  const ipv4: [string, number][] = [
    ['169.254.0.0', 16], // link-local, with 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
    ['100.100.100.200', 32], // Alibaba Cloud metadata
  ];
  for (const [address, prefix] of ipv4) {
    list.addSubnet(address, prefix, 'ipv4');
    list.addSubnet(`::${address}`, 96 + prefix, 'ipv6');
    list.addSubnet(`64:ff9b::${address}`, 96 + prefix, 'ipv6');
  }
  list.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"; 0.0.0.0 is the unspecified address
  list.addSubnet('64:ff9b::', 104, 'ipv6');
  list.addAddress('::', 'ipv6'); // unspecified
  list.addSubnet('fe80::', 10, 'ipv6'); // link-local
  list.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
  return list;
})();

/** Host names of cloud metadata services. */
const FORBIDDEN_HOST_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Whether a URL's host (as `URL.hostname` gives it) is link-local, metadata or unspecified. */
export function isForbiddenHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (FORBIDDEN_HOST_NAMES.has(host)) return true;
  const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIPv4(address)) return FORBIDDEN_ADDRESSES.check(address, 'ipv4');
  if (isIPv6(address)) return FORBIDDEN_ADDRESSES.check(address, 'ipv6');
  return false;
}

/** Whether the URL's authority carries `user:pass@` (even an empty one, as `https://@host`). */
function hasUserinfo(value: string): boolean {
  const afterScheme = value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:[\\/]*/, '');
  const authority = afterScheme.split(/[/\\?#]/, 1)[0] ?? '';
  return authority.includes('@');
}

/** What is wrong with a URL that people or services will follow, if anything. */
export type UrlProblem = 'not-http' | 'userinfo' | 'forbidden-host';

/** An absolute http(s) URL with no userinfo and no link-local, metadata or unspecified host. */
export function urlProblem(value: string): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not-http';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not-http';
  if (url.username || url.password || hasUserinfo(value)) return 'userinfo';
  if (isForbiddenHost(url.hostname)) return 'forbidden-host';
  return null;
}

export const urlMessages = {
  userinfo: (label: string) => `${label} must not hold a user name or password.`,
  forbiddenHost: (label: string) =>
    `${label} must not point to a link-local, cloud metadata or unspecified address.`,
};

/** One line of text; `missing` is the message when no string is given at all. */
function line(label: string, missing = `${label} is required.`) {
  return z
    .string({ error: missing })
    .trim()
    .normalize('NFC')
    .refine(isCleanText, brokenTextMessage(label))
    .refine(
      isCleanLine,
      `${label} must not contain control, bidirectional or zero-width characters.`,
    );
}

/** Long text: line breaks and tabs allowed, but no other control character. */
function text(label: string, missing = `${label} is required.`) {
  return z
    .string({ error: missing })
    .trim()
    .normalize('NFC')
    .refine(isCleanText, brokenTextMessage(label));
}

/**
 * Shared field schemas. Every text a mutation stores goes through `line` (names, labels,
 * titles, slugs, keys, URLs) or `text` (descriptions, use cases, reasons, messages, Markdown):
 * both trim, normalize to NFC and refuse what cannot be stored; `line` also refuses control,
 * bidirectional and zero-width characters. Chain lengths and patterns after them.
 */
export const fields = {
  line,
  text,
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'Email is too long.')
    .pipe(z.email('Enter a valid email address.')),
  password: z
    .string()
    .min(10, 'Use at least 10 characters.')
    .max(200, 'Use at most 200 characters.'),
  name: (label: string, max = 100) =>
    line(label)
      .min(1, `${label} is required.`)
      .max(max, `${label} must be at most ${max} characters.`),
  optionalText: (label: string, max = 2000) =>
    text(label).max(max, `${label} must be at most ${max} characters.`),
  /** An absolute http(s) URL (no userinfo, no link-local or metadata host), or null/empty for none. */
  optionalUrl: (label: string) =>
    line(label)
      .max(2048, `${label} is too long.`)
      .nullish()
      .transform((value) => (value ? value : null))
      .superRefine((value, ctx) => {
        if (value === null) return;
        const problem = urlProblem(value);
        if (problem === 'not-http') {
          ctx.addIssue({ code: 'custom', message: `${label} must be an http(s) URL.` });
        } else if (problem === 'userinfo') {
          ctx.addIssue({ code: 'custom', message: urlMessages.userinfo(label) });
        } else if (problem === 'forbidden-host') {
          ctx.addIssue({ code: 'custom', message: urlMessages.forbiddenHost(label) });
        }
      }),
};

/** An absolute http(s) URL with no userinfo and no link-local, metadata or unspecified host. */
export function isHttpUrl(value: string): boolean {
  return urlProblem(value) === null;
}
