import { test as base, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { expect };

/** Playwright's `test`, with baseURL pointing at the server started by global-setup.ts. */
export const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    const url = process.env.PORTICO_E2E_URL;
    if (!url) throw new Error('PORTICO_E2E_URL is not set: run through playwright.config.ts');
    await use(url);
  },
});

export interface Mail {
  file: string;
  to: string[];
  subject: string;
  /** The text body, decoded. */
  text: string;
  raw: string;
}

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

function mailDir(): string {
  const dir = process.env.PORTICO_E2E_MAIL_DIR;
  if (!dir) throw new Error('PORTICO_E2E_MAIL_DIR is not set: run through playwright.config.ts');
  return dir;
}

function decodeWords(header: string): string {
  return header.replace(
    /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=\s*/g,
    (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => `%${hex}`);
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return bytes;
  }
}

/** Parses a single-part RFC 822 message as nodemailer writes a text mail. */
function parseMail(file: string, to: string[], raw: string): Mail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const header = (name: string): string =>
    new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return { file, to, subject: decodeWords(header('Subject')), text, raw };
}

async function readMails(): Promise<Mail[]> {
  const dir = mailDir();
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (name) => {
      const stored = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
        to: string[];
        raw: string;
      };
      return parseMail(name, stored.to, stored.raw);
    }),
  );
}

/** Waits for the newest mail to `to` whose subject matches, as caught by the SMTP catcher. */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 15_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readMails();
    const found = mails
      .reverse()
      .find((mail) => mail.to.includes(to.toLowerCase()) && subject.test(mail.subject));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
      throw new Error(
        `No mail to ${to} matching ${subject} within ${timeoutMs} ms. Caught:\n  ${seen}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The first link in the mail whose path starts with `pathPrefix`. */
export function linkIn(mail: Mail, pathPrefix: string): string {
  const link = mail.text
    .match(/https?:\/\/[^\s"<>)]+/g)
    ?.find((href) => new URL(href).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`No ${pathPrefix} link in mail "${mail.subject}":\n${mail.text}`);
  return link;
}

/**
 * Closes the notifications shown in the corner (live events such as the demo's usage alerts
 * arrive while a journey works), as a user would before clicking what they cover.
 */
export async function closeToasts(page: Page): Promise<void> {
  const close = page.locator('.mantine-Notifications-root button');
  for (let count = await close.count(); count > 0; count = await close.count()) {
    await close.first().click();
    await expect(close).toHaveCount(count - 1);
  }
}

/** Saves a full-page screenshot to packages/e2e/screenshots/<name>.png (git-ignored). */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let fonts, transitions and toasts settle so the picture shows what a user sees.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // A full-page picture of a scrolled page draws the fixed header and navbar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** An action that the web app may render as a button or as a link styled like one. */
export function action(scope: Page | Locator, name: string | RegExp): Locator {
  return scope
    .getByRole('button', { name, exact: typeof name === 'string' })
    .or(scope.getByRole('link', { name, exact: typeof name === 'string' }))
    .first();
}

/**
 * The form control labelled exactly `label`. Mantine appends " *" to the label of a required
 * field (hidden from the accessible name but part of the label's text), so allow it.
 */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`)).first();
}

/** Picks `option` in the Mantine Select (or native select) labelled `label`. */
export async function choose(scope: Page | Locator, label: string, option: string): Promise<void> {
  const control = field(scope, label);
  const tag = await control.evaluate((element) => element.tagName.toLowerCase());
  if (tag === 'select') {
    await control.selectOption({ label: option });
    return;
  }
  await control.click();
  const page = 'page' in scope ? scope.page() : scope;
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A unique, valid address for this run. */
export function uniqueEmail(who: string): string {
  return `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

export interface GraphQLResult<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/** The session cookie of the portal (see the server's accounts module). */
const SESSION_COOKIE = 'portico_session';

const TRUSTED_DOCUMENTS = fileURLToPath(
  new URL('../../../trusted-documents.json', import.meta.url),
);

/** The hash of the web app's own operation `name` in trusted-documents.json. */
async function webOperationHash(name: string): Promise<string> {
  const documents = JSON.parse(await readFile(TRUSTED_DOCUMENTS, 'utf8')) as Record<string, string>;
  const operation = new RegExp(`(^|\\} )(query|mutation|subscription) ${name}\\b`);
  const hash = Object.keys(documents).find((key) => operation.test(documents[key] ?? ''));
  if (!hash) throw new Error(`The web app has no operation ${name} in ${TRUSTED_DOCUMENTS}`);
  return hash;
}

/**
 * Runs the web app's own operation `name` (a trusted document, sent by its hash) as the page's
 * signed-in user, with their session cookie: for what only a session may do.
 */
export async function webOperation<TData>(
  page: Page,
  name: string,
  variables: Record<string, unknown> = {},
): Promise<TData> {
  const response = await page.request.post('/graphql', {
    data: {
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: await webOperationHash(name) } },
    },
    headers: { 'apollo-require-preflight': 'true' },
  });
  const result = (await response.json()) as GraphQLResult<TData>;
  if (result.errors?.length || !result.data) {
    throw new Error(`The web app's ${name} failed:\n${JSON.stringify(result, null, 2)}`);
  }
  return result.data;
}

/** The areas of a fine-grained token that apply to an organization. */
const ORGANIZATION_AREAS = [
  'ORGANIZATION',
  'MEMBERS',
  'PROJECTS',
  'APPS',
  'CREDENTIALS',
  'SUBSCRIPTIONS',
  'USAGE',
  'WEBHOOKS',
  'AUDIT_LOG',
];
const ACCOUNT_AREAS = ['ACCOUNT', 'NOTIFICATIONS'];
const STAFF_AREAS = ['STAFF_REVIEW', 'STAFF_CONSOLE', 'STAFF_CATALOG', 'STAFF_AUDIT'];

/** Personal access tokens made for setting up data, by session and what they are bound to. */
const setupTokens = new Map<string, string>();

/**
 * A fine-grained personal access token of the page's signed-in user with WRITE on every area
 * it may have, made once per session with the web app's own mutation (signed in by the session
 * cookie, only the web app's documents run): bound to `organization` (its name or id, one of
 * the user's) when given, else to the user's own account (their personal organizations, their
 * account and, for staff, the staff areas).
 */
async function setupToken(
  page: Page,
  session: string,
  organization: string | undefined,
): Promise<string> {
  const key = `${session} ${organization ?? ''}`;
  const known = setupTokens.get(key);
  if (known) return known;
  const { viewer } = await webOperation<{
    viewer: { platformRole: string; organizations: { id: string; name: string }[] };
  }>(page, 'Viewer');
  let organizationId: string | null = null;
  if (organization !== undefined) {
    const found = viewer.organizations.find(
      (candidate) => candidate.id === organization || candidate.name === organization,
    );
    if (!found) throw new Error(`${organization} is not among the user's organizations`);
    organizationId = found.id;
  }
  const areas = organizationId
    ? ORGANIZATION_AREAS
    : [
        ...ORGANIZATION_AREAS,
        ...ACCOUNT_AREAS,
        ...(viewer.platformRole === 'STAFF' ? STAFF_AREAS : []),
      ];
  const made = await webOperation<{ createFineGrainedPersonalAccessToken: { token: string } }>(
    page,
    'CreateFineGrainedPersonalAccessToken',
    {
      input: {
        name: 'e2e setup',
        organizationId,
        permissions: areas.map((area) => ({ area, level: 'WRITE' })),
        expiresInDays: 1,
      },
    },
  );
  const token = made.createFineGrainedPersonalAccessToken.token;
  setupTokens.set(key, token);
  return token;
}

export interface GraphQLOptions {
  /**
   * The organization (name or id) the operation works in, when it is not one of the user's
   * personal organizations: a fine-grained token reaches one organization only.
   */
  organization?: string;
}

/**
 * Runs a GraphQL operation of a journey's own, for setting up data it does not exercise
 * through the UI: as the page's user (the browser context's request API shares its cookie
 * jar), with a fine-grained personal access token of theirs once they are signed in, since a
 * session may run only the web app's trusted documents; signed in by nothing, as is.
 */
export async function graphql<TData>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphQLOptions = {},
): Promise<TData> {
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value;
  const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
  if (session) {
    headers.authorization = `Bearer ${await setupToken(page, session, options.organization)}`;
  }
  const response = await page.request.post('/graphql', { data: { query, variables }, headers });
  const result = (await response.json()) as GraphQLResult<TData>;
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL operation failed:\n${query}\n${JSON.stringify(result, null, 2)}`);
  }
  return result.data;
}

/** The password of the demo accounts seeded at start-up (SEED_DEMO=true). */
export const DEMO_PASSWORD = 'portico-demo-1';
/** The seeded portal staff account. */
export const STAFF_EMAIL = 'staff@portico.local';

/** A page in a fresh browser context (its own cookies): a second person at another browser. */
export async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

/** Signs in on the sign-in page and waits for the signed-in shell. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/signin');
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  await expect(page.getByRole('link', { name: 'Account settings' }).first()).toBeVisible();
}

/** The header bell ("Notifications"), whose badge shows the unread count. */
export function notificationsBell(page: Page): Locator {
  return page.getByRole('button', { name: /^Notifications\b/ }).first();
}

/**
 * The unread count on the notifications bell: the number on its badge (a Mantine Indicator
 * around the bell, not rendered when nothing is unread), 0 without a badge.
 */
export async function unreadNotifications(page: Page): Promise<number> {
  await expect(notificationsBell(page)).toBeVisible();
  const badge = page
    .locator('.mantine-Indicator-root', { has: notificationsBell(page) })
    .locator('.mantine-Indicator-indicator');
  if ((await badge.count()) === 0) return 0;
  const text = (await badge.first().innerText()).trim();
  return text === '99+' ? 100 : Number(text || '0');
}

/**
 * Counts the events a page receives over its GraphQL subscriptions (graphql-ws "next"
 * messages) whose data holds `field`, e.g. `reviewQueueEvents`: proof that an update on screen
 * arrived live rather than by polling. Start it before the page opens its websocket.
 */
export function watchLiveEvents(page: Page, field: string): { count(): number } {
  let received = 0;
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      try {
        const message = JSON.parse(text) as { type?: string; payload?: { data?: object } };
        if (message.type === 'next' && message.payload?.data && field in message.payload.data)
          received += 1;
      } catch {
        // not JSON: not a graphql-ws message
      }
    });
  });
  return { count: () => received };
}
