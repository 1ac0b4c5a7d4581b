import {
  DEMO_PASSWORD,
  STAFF_EMAIL,
  expect,
  field,
  newPage,
  notificationsBell,
  shot,
  signIn,
  test,
  waitForMail,
  watchLiveEvents,
} from './helpers.js';

// From the demo seed (seed/staff.ts): Northwind Research, a verified organization, where Grace
// owns Legacy Importer, an ACTIVE app with no verified request for two months (the only app
// named so that is inactive for 30 days).
const OWNER_EMAIL = 'grace@portico.local';
const APP_NAME = 'Legacy Importer';

test('staff console: filter the inventory, dry run then suspend by criteria with live progress; the owner is told; staff search the audit log', async ({
  page: staff,
  browser,
  baseURL,
}) => {
  test.slow();
  const live = watchLiveEvents(staff, 'staffEvents');
  await signIn(staff, STAFF_EMAIL);

  // The inventory, then filtered by name and status.
  await staff.getByRole('link', { name: 'Apps', exact: true }).click();
  await expect(staff.getByRole('heading', { name: 'Apps', exact: true })).toBeVisible();
  await expect(staff.getByTestId('staff-app-row').first()).toBeVisible();
  await shot(staff, 'staff-01-apps-inventory');
  await field(staff, 'App name').fill('Legacy');
  await field(staff, 'Inactive for (days)').fill('30');
  await staff.getByRole('button', { name: 'Apply filters' }).click();
  await expect(staff.getByTestId('staff-app-row')).toHaveCount(1);
  await expect(staff.getByTestId('staff-app-row').first()).toContainText(APP_NAME);
  await expect(staff.getByText('1 in all')).toBeVisible();
  await shot(staff, 'staff-02-apps-filtered');

  // A suspension by these criteria: the dry run lists what would change, nothing changes yet.
  await staff.getByRole('button', { name: 'Bulk action' }).click();
  await staff.getByRole('menuitem', { name: 'Suspend…' }).click();
  const dialog = staff.getByRole('dialog');
  const reason = `Importing beyond the agreed volume (${Date.now() % 100_000}).`;
  await field(dialog, 'Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Dry run' }).click();
  await expect(
    dialog.getByText('Dry run: 1 to change, 0 to skip. Nothing changed yet.'),
  ).toBeVisible();
  await expect(dialog.getByRole('cell', { name: APP_NAME })).toBeVisible();
  await shot(staff, 'staff-03-dry-run');

  // The real run, with its progress pushed live, ends with its summary (a job on the queue: it
  // may wait for a worker to poll, and ends after the owners' notices are written).
  await dialog.getByRole('button', { name: 'Run it: change 1 app' }).click();
  await expect(dialog.getByText('Finished', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByTestId('bulk-run-applied')).toContainText('Changed: 1 of 1');
  expect(live.count()).toBeGreaterThan(0);
  await shot(staff, 'staff-04-run-finished');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The owner gets the suspension notice, in-app and by email.
  const mail = await waitForMail(OWNER_EMAIL, /Application suspension notice/);
  expect(mail.text).toContain(reason);
  const owner = await newPage(browser, baseURL);
  await signIn(owner, OWNER_EMAIL, DEMO_PASSWORD);
  await notificationsBell(owner).click();
  await expect(owner.getByText('Application suspension notice').first()).toBeVisible();
  await shot(owner, 'staff-05-owner-notice');
  await owner.context().close();

  // The run is in the history; staff find the suspension in the audit log.
  await staff.getByRole('link', { name: 'Bulk runs' }).click();
  await expect(staff.getByRole('cell', { name: reason })).toBeVisible();
  await shot(staff, 'staff-06-bulk-runs');
  await staff.getByRole('link', { name: 'Audit log' }).click();
  await field(staff, 'Action').fill('app.suspend');
  await staff.getByRole('button', { name: 'Search' }).click();
  await expect(staff.getByTestId('audit-row').filter({ hasText: reason }).first()).toBeVisible();
  await shot(staff, 'staff-07-audit-log');

  // The other staff pages render with the demo data.
  await staff.getByRole('link', { name: 'Organizations' }).click();
  await expect(staff.getByRole('link', { name: 'Northwind Research' })).toBeVisible();
  await shot(staff, 'staff-08a-organizations');
  await staff.getByRole('link', { name: 'Northwind Research' }).click();
  await expect(staff.getByText('verified', { exact: true }).first()).toBeVisible();
  await shot(staff, 'staff-08-organization');
  await staff.getByRole('link', { name: 'Reports' }).click();
  await staff.getByRole('tab', { name: 'Inactive apps' }).click();
  await expect(staff.getByRole('link', { name: APP_NAME })).toBeVisible();
  await shot(staff, 'staff-09-reports-inactive');
  // High-usage apps: Sentiment Notebook is past 80 % of its plan's units (seed/usage.ts).
  await staff.getByRole('tab', { name: 'High-usage apps' }).click();
  const notebook = staff.getByTestId('high-usage-row').filter({ hasText: 'Sentiment Notebook' });
  await expect(notebook.getByTestId('suggest-upgrade')).toBeVisible();
  await shot(staff, 'staff-09a-reports-high-usage');
  const csvHref = await staff
    .getByRole('tabpanel', { name: 'High-usage apps' })
    .getByRole('link', { name: 'Download CSV' })
    .getAttribute('href');
  const csv = await (await staff.request.get(csvHref!)).text();
  expect(csv.split('\n').find((line) => line.includes('Sentiment Notebook'))).toMatch(/,true$/);
  await staff.getByRole('tab', { name: 'Pending queue' }).click();
  await shot(staff, 'staff-10-reports-queue');
});
