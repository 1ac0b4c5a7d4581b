import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { STAFF_EMAIL, choose, expect, graphql, newPage, shot, signIn, test } from './helpers.js';

// From the demo seed: Ada is admin of Analytical Engines, whose Trend Radar calls the Public
// Posts API (slug public-posts) with consumer keys.
const DEVELOPER_EMAIL = 'ada@portico.local';
const ORG_NAME = 'Analytical Engines';
const APP_NAME = 'Trend Radar';
const PRODUCT = 'public-posts';

const MINUTE = 60_000;
// Usage is read from the server and charts load on demand: on a busy machine that takes a while.
const LOAD = 30_000;
const HOUR = 3_600_000;

interface UsageEvent {
  appId?: string;
  credentialId?: string;
  product: string;
  status: number;
  responseTimeMs: number;
  units: number;
  time: string;
}

/**
 * Traffic a gateway would report for Trend Radar: every five minutes of the last two hours
 * and a few calls in each hour before, some of them failing, half of them through one of its
 * credentials.
 */
function trafficFor(appId: string, credentialId: string, now: number): UsageEvent[] {
  const events: UsageEvent[] = [];
  const call = (time: number, index: number): UsageEvent => ({
    ...(index % 2 === 0 ? { credentialId } : { appId }),
    product: PRODUCT,
    status: index % 41 === 0 ? 503 : index % 23 === 0 ? 429 : 200,
    responseTimeMs: 18 + ((index * 37) % 240),
    units: 5 + (index % 4) * 10,
    time: new Date(time).toISOString(),
  });
  for (let minutes = 1; minutes < 118; minutes += 5) {
    for (let i = 0; i < 1 + (minutes % 4); i += 1) {
      events.push(call(now - minutes * MINUTE, events.length));
    }
  }
  // Gateways report recent traffic only (the last 71 hours): every hour of the last 2.5 days.
  for (let hours = 3; hours <= 60; hours += 1) {
    for (let i = 0; i < 2 + (hours % 5); i += 1) {
      events.push(call(now - hours * HOUR + i * 9 * MINUTE, events.length));
    }
  }
  return events;
}

/** Calls the gateway makes before forwarding a request: each one is a verified request. */
async function verifyCalls(page: Page, secret: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const response = await page.request.get('/v1/verify', {
      headers: {
        authorization: `Bearer ${secret}`,
        'x-original-method': 'GET',
        'x-original-uri': `/2/tweets/${1000 + i}`,
      },
    });
    expect(response.status(), await response.text()).toBe(200);
  }
}

async function reportUsage(page: Page, token: string, events: UsageEvent[]): Promise<void> {
  const response = await page.request.post('/v1/usage', {
    data: { events },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status(), (await response.text()).slice(0, 500)).toBeLessThan(300);
}

const PERIODS = [
  { label: 'Current month', value: 'current-month', granularity: 'day' },
  { label: 'Last 30 days', value: 'last-30-days', granularity: 'day' },
  { label: 'Last 120 days', value: 'last-120-days', granularity: 'day' },
  { label: 'Last 24 hours', value: 'last-24-hours', granularity: 'hour' },
  { label: 'Last 120 minutes', value: 'last-120-minutes', granularity: 'minute' },
] as const;

test('usage: a developer reads the usage of their organization for every period and an app’s analytics', async ({
  page,
  browser,
  baseURL,
}) => {
  test.slow();
  // A gateway token, as staff make one for each gateway.
  const staff = await newPage(browser, baseURL);
  await signIn(staff, STAFF_EMAIL);
  const { createGatewayToken } = await graphql<{ createGatewayToken: { token: string } }>(
    staff,
    'mutation ($input: CreateGatewayTokenInput!) { createGatewayToken(input: $input) { token } }',
    { input: { name: `usage journey ${Date.now()}` } },
  );

  await signIn(page, DEVELOPER_EMAIL);
  const { viewer } = await graphql<{
    viewer: { organizations: { id: string; name: string; apps: { id: string; name: string }[] }[] };
  }>(
    page,
    'query { viewer { organizations { id name apps { id name } } } }',
    {},
    { organization: ORG_NAME },
  );
  const org = viewer.organizations.find((candidate) => candidate.name === ORG_NAME);
  const app = org?.apps.find((candidate) => candidate.name === APP_NAME);
  if (!org || !app) throw new Error(`${APP_NAME} is not in the demo seed`);
  // A bearer token of the app's own, so its traffic shows per credential.
  const { createCredential } = await graphql<{
    createCredential: { credential: { id: string }; secret: string };
  }>(
    page,
    'mutation ($input: CreateCredentialInput!) { createCredential(input: $input) { credential { id } secret } }',
    { input: { appId: app.id, kind: 'BEARER_TOKEN' } },
    { organization: ORG_NAME },
  );
  const credentialId = createCredential.credential.id;
  await verifyCalls(staff, createCredential.secret, 12);
  await reportUsage(staff, createGatewayToken.token, trafficFor(app.id, credentialId, Date.now()));

  // The shell leads to the organization's usage page.
  await page.goto(`/orgs/${org.id}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.id}/usage$`));
  await expect(page.getByRole('heading', { name: 'Usage', exact: true })).toBeVisible();
  await expect(page.getByText('All times UTC')).toBeVisible();

  for (const period of PERIODS) {
    await choose(page, 'Period', period.label);
    if (period.value === 'current-month') await expect(page).not.toHaveURL(/period=/);
    else await expect(page).toHaveURL(new RegExp(`period=${period.value}`));
    await expect(page.getByText(`${period.label}:`)).toBeVisible({ timeout: LOAD });
    await expect(page.getByText(`one point per ${period.granularity}`)).toBeVisible();
    const requests = page.getByRole('region', { name: 'Requests' });
    // The reported traffic is drawn (an SVG chart), not the empty state.
    await expect(requests.locator('.recharts-surface').first()).toBeVisible({ timeout: LOAD });
    await expect(requests.getByText('No traffic in this period')).toHaveCount(0);
    await expect(
      page.getByRole('region', { name: 'Response time' }).locator('.recharts-surface').first(),
    ).toBeVisible({ timeout: LOAD });
    await expect(page.getByRole('region', { name: /Public Posts API requests cap/ })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'By app' })).toBeVisible();
    await expect(
      page
        .getByRole('table', { name: 'Usage by app' })
        .getByRole('row', { name: new RegExp(APP_NAME) }),
    ).toBeVisible();
    await shot(page, `usage-${period.value}`);
  }

  // A past month: a chart of its days, empty when nothing was recorded then.
  const pastMonth = new Date(
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1),
  );
  const pastLabel = pastMonth.toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  await choose(page, 'Period', pastLabel);
  await expect(page.getByText(`${pastLabel}:`)).toBeVisible({ timeout: LOAD });
  const pastRequests = page.getByRole('region', { name: 'Requests' });
  await expect(
    pastRequests
      .locator('.recharts-surface')
      .or(pastRequests.getByText('No traffic in this period')),
  ).toBeVisible({ timeout: LOAD });
  await shot(page, 'usage-past-month');

  // The CSV holds exactly the buckets shown: one row per day of the current month.
  await choose(page, 'Period', 'Current month');
  await expect(page.getByText('Current month:')).toBeVisible({ timeout: LOAD });
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Over time (per day)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('usage-analytical-engines-current-month.csv');
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^bucket_start_utc,requests,responses,units,errors,error_rate,/);
  const now = new Date();
  const daysInMonth = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0),
  ).getUTCDate();
  expect(lines).toHaveLength(1 + daysInMonth);
  expect(lines.slice(1).some((line) => !line.includes(',0,0,0,0,'))).toBe(true);

  // The app's own analytics: per credential and product.
  await page.goto(`/orgs/${org.id}/apps/${app.id}`);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(page).toHaveURL(/[?&]tab=analytics\b/);
  await expect(page.getByRole('tab', { name: 'By credential' })).toBeVisible({ timeout: LOAD });
  await expect(page.getByRole('table', { name: 'Usage by credential' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Requests' }).locator('.recharts-surface').first(),
  ).toBeVisible({ timeout: LOAD });
  await shot(page, 'usage-app-analytics');
  await choose(page, 'Period', 'Last 120 minutes');
  await expect(page).toHaveURL(/tab=analytics/);
  await expect(page.getByText('one point per minute')).toBeVisible({ timeout: LOAD });
  await expect(
    page.getByRole('region', { name: 'Requests' }).locator('.recharts-surface').first(),
  ).toBeVisible({ timeout: LOAD });
  await shot(page, 'usage-app-analytics-120-minutes');

  // Staff see every organization together.
  await staff.goto('/staff/usage');
  await expect(staff.getByRole('heading', { name: 'Usage', exact: true })).toBeVisible();
  await expect(staff.getByRole('tab', { name: 'By product' })).toBeVisible({ timeout: LOAD });
  await expect(
    staff.getByRole('region', { name: 'Requests' }).locator('.recharts-surface').first(),
  ).toBeVisible({ timeout: LOAD });
  await shot(staff, 'usage-staff');
});
