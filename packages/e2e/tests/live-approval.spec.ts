import type { Page } from '@playwright/test';
import {
  action,
  choose,
  expect,
  field,
  graphql,
  newPage,
  notificationsBell,
  shot,
  signIn,
  STAFF_EMAIL,
  test,
  unreadNotifications,
  watchLiveEvents,
} from './helpers.js';

// From the demo seed: Ada is approved as a developer and admin of Analytical Engines;
// "Direct Messages API" is reviewed by staff (MANUAL) and only for apps in a project.
const DEVELOPER_EMAIL = 'ada@portico.local';
const ORG_NAME = 'Analytical Engines';
const PRODUCT = 'Direct Messages API';
const REASON = 'Direct messages fit the use case; approved for the relay.';

/** Marks the page's window so a later check can prove the page was never reloaded. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as Record<string, unknown>).porticoNoReload = true;
  });
}

async function expectNotReloaded(page: Page): Promise<void> {
  const marked = await page.evaluate(
    () => (window as unknown as Record<string, unknown>).porticoNoReload === true,
  );
  expect(marked, 'the page was reloaded or navigated away').toBe(true);
}

test('live approval: staff see a new product request at once, approve it, and the developer sees the grant without reloading', async ({
  page: staff,
  browser,
  baseURL,
}) => {
  // Two people, a dozen steps and two live updates: allow more than the default 60 s.
  test.slow();
  const run = `${Date.now() % 1_000_000}`;
  const appName = `Chat Relay ${run}`;
  const projectName = `Messaging ${run}`;
  const itemLabel = `${PRODUCT} for ${appName}`;

  // Staff open the review queue first and keep it open.
  const staffEvents = watchLiveEvents(staff, 'reviewQueueEvents');
  await signIn(staff, STAFF_EMAIL);
  await staff.goto('/staff/review');
  await expect(staff.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  await expect(staff.getByText('Live', { exact: true })).toBeVisible();
  await expect(staff.getByRole('link', { name: itemLabel })).toHaveCount(0);
  await markNoReload(staff);
  await shot(staff, 'live-01-staff-queue-before');

  // The developer, in another browser, signs in and gets a project of their own for the app.
  const dev = await newPage(browser, baseURL);
  const orgEvents = watchLiveEvents(dev, 'organizationEvents');
  const viewerEvents = watchLiveEvents(dev, 'viewerEvents');
  await signIn(dev, DEVELOPER_EMAIL);
  const { viewer } = await graphql<{ viewer: { organizations: { id: string; name: string }[] } }>(
    dev,
    `
      query Orgs {
        viewer {
          organizations {
            id
            name
          }
        }
      }
    `,
    {},
    { organization: ORG_NAME },
  );
  const orgId = viewer.organizations.find((org) => org.name === ORG_NAME)?.id;
  if (!orgId)
    throw new Error(`${DEVELOPER_EMAIL} is not in ${ORG_NAME}: is the demo seed current?`);
  await graphql(
    dev,
    `
      mutation Project($input: CreateProjectInput!) {
        createProject(input: $input) {
          project {
            id
          }
        }
      }
    `,
    { input: { organizationId: orgId, name: projectName } },
    { organization: ORG_NAME },
  );

  await dev.goto(`/orgs/${orgId}`);
  await expect(dev.getByRole('heading', { name: ORG_NAME })).toBeVisible();
  const unreadBefore = await unreadNotifications(dev);

  // ... creates an app in that project, requesting the reviewed product.
  await action(dev, 'New app').click();
  await expect(dev).toHaveURL(new RegExp(`/orgs/${orgId}/apps/new`));
  await field(dev, 'App name').fill(appName);
  await choose(dev, 'Project', projectName);
  await field(dev, 'Description').fill('Relays support chats into direct messages');
  await field(dev, 'Use case').fill('Answer customers in direct messages');
  await field(dev, 'Products').click();
  await dev.getByRole('option', { name: new RegExp(`^${PRODUCT}`) }).click();
  await dev.keyboard.press('Escape');
  await shot(dev, 'live-02-dev-new-app');
  await dev.getByRole('button', { name: 'Create app' }).click();
  await expect(dev).toHaveURL(new RegExp(`/orgs/${orgId}/apps/(?!new)[^/?]+`));
  await expect(dev.getByRole('heading', { name: appName })).toBeVisible();
  await expect(dev.getByText('Waiting for review', { exact: true })).toBeVisible();

  // ... and keeps the app's products open.
  await dev.getByRole('tab', { name: 'Products' }).click();
  const grantRow = dev.getByRole('row').filter({ hasText: PRODUCT });
  await expect(grantRow).toHaveCount(1);
  await expect(grantRow.getByText('PENDING', { exact: true })).toBeVisible();
  await markNoReload(dev);
  await shot(dev, 'live-03-dev-app-pending');

  // Without a reload, the request appears in the staff's queue.
  const queueLink = staff.getByRole('link', { name: itemLabel });
  await expect(queueLink).toBeVisible({ timeout: 20_000 });
  expect(staffEvents.count(), 'the queue got the request over its subscription').toBeGreaterThan(0);
  const queueRow = staff.getByRole('row').filter({ has: queueLink });
  await expect(queueRow.getByText('Product request', { exact: true })).toBeVisible();
  await expect(queueRow.getByText(ORG_NAME, { exact: true })).toBeVisible();
  await expect(queueRow.getByText('Ada Lovelace', { exact: true })).toBeVisible();
  await shot(staff, 'live-04-staff-queue-new-request');
  await shot(dev, 'live-05-dev-app-still-pending');

  // Staff select it and approve it with a reason.
  await staff.getByRole('checkbox', { name: `Select ${itemLabel}` }).check();
  await expect(staff.getByText('1 selected', { exact: true })).toBeVisible();
  await staff.getByRole('button', { name: 'Approve', exact: true }).click();
  const decision = staff.getByRole('dialog');
  await expect(decision.getByText(`Approve ${itemLabel}`)).toBeVisible();
  await field(decision, 'Reason').fill(REASON);
  await shot(staff, 'live-06-staff-approve-modal');
  const orgEventsBefore = orgEvents.count();
  const viewerEventsBefore = viewerEvents.count();
  await decision.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(staff.getByRole('dialog')).toHaveCount(0);
  await expect(staff.getByRole('link', { name: itemLabel })).toHaveCount(0);
  await shot(staff, 'live-07-staff-queue-after');

  // The developer's app page, still open, shows the grant approved: no reload.
  await expect(grantRow.getByText('APPROVED', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(grantRow.getByText(REASON)).toBeVisible();
  await expect(grantRow.getByText('Sam Staff')).toBeVisible();
  await expect(dev.getByText('Waiting for review', { exact: true })).toHaveCount(0);
  await expect(dev.getByText('Active', { exact: true }).first()).toBeVisible();

  // ... and the bell counts the decision as unread.
  await expect
    .poll(() => unreadNotifications(dev), { timeout: 20_000 })
    .toBeGreaterThan(unreadBefore);
  expect(orgEvents.count(), 'the app page got the decision live').toBeGreaterThan(orgEventsBefore);
  expect(viewerEvents.count(), 'the bell got the notification live').toBeGreaterThan(
    viewerEventsBefore,
  );
  await shot(dev, 'live-08-dev-app-approved');
  await notificationsBell(dev).click();
  await expect(dev.getByText(`Your request for ${PRODUCT} was approved`).first()).toBeVisible();
  await shot(dev, 'live-09-dev-notifications');

  await expectNotReloaded(staff);
  await expectNotReloaded(dev);
  await dev.context().close();
});
