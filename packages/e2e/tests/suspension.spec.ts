import {
  DEMO_PASSWORD,
  STAFF_EMAIL,
  expect,
  field,
  graphql,
  newPage,
  shot,
  signIn,
  test,
  waitForMail,
} from './helpers.js';

// From the demo seed: Grace (a developer of Analytical Engines) owns Sentiment Notebook, an
// ACTIVE app of that organization.
const OWNER_EMAIL = 'grace@portico.local';
const ORG_NAME = 'Analytical Engines';
const APP_NAME = 'Sentiment Notebook';

test('suspension: staff suspend an app with a reason, its owner is told and sees it, staff lift it', async ({
  page: owner,
  browser,
  baseURL,
}) => {
  test.slow();
  await signIn(owner, OWNER_EMAIL, DEMO_PASSWORD);
  const { viewer } = await graphql<{
    viewer: { organizations: { id: string; name: string; apps: { id: string; name: string }[] }[] };
  }>(
    owner,
    'query { viewer { organizations { id name apps { id name } } } }',
    {},
    { organization: ORG_NAME },
  );
  const org = viewer.organizations.find((o) => o.name === ORG_NAME);
  const app = org?.apps.find((a) => a.name === APP_NAME);
  if (!org || !app) throw new Error(`${APP_NAME} is not in the demo seed`);
  const appUrl = `/orgs/${org.id}/apps/${app.id}`;

  // The owner sees no suspension control: it is for staff.
  await owner.goto(appUrl);
  await expect(owner.getByRole('heading', { name: APP_NAME })).toBeVisible();
  await expect(owner.getByRole('button', { name: 'Suspend app' })).toHaveCount(0);

  const staff = await newPage(browser, baseURL);
  await signIn(staff, STAFF_EMAIL);
  await staff.goto(appUrl);
  await expect(staff.getByRole('heading', { name: APP_NAME })).toBeVisible();
  await staff.getByRole('button', { name: 'Suspend app' }).click();
  const dialog = staff.getByRole('dialog', { name: `Suspend ${APP_NAME}` });
  // No reason, no suspension: the field says what is missing.
  await dialog.getByRole('button', { name: 'Suspend app' }).click();
  await expect(dialog.getByText(/reason/i).first()).toBeVisible();
  const reason = `Automated scraping beyond the terms of service (${Date.now() % 100_000}).`;
  await field(dialog, 'Reason').fill(reason);
  await shot(staff, 'suspend-01-staff-modal');
  await dialog.getByRole('button', { name: 'Suspend app' }).click();
  await expect(dialog).toBeHidden();
  await expect(staff.getByText('This app is suspended')).toBeVisible();
  await expect(staff.getByText(reason)).toBeVisible();
  await shot(staff, 'suspend-02-staff-suspended');

  const mail = await waitForMail(OWNER_EMAIL, /Application suspension notice/);
  expect(mail.text).toContain(reason);

  await owner.reload();
  await expect(owner.getByText('This app is suspended')).toBeVisible();
  await expect(owner.getByText(reason)).toBeVisible();
  await shot(owner, 'suspend-03-owner-sees-suspension');

  await staff.getByRole('button', { name: 'Unsuspend app' }).click();
  const confirm = staff.getByRole('dialog', { name: `Unsuspend ${APP_NAME}` });
  await confirm.getByRole('button', { name: 'Unsuspend app' }).click();
  await expect(confirm).toBeHidden();
  await expect(staff.getByText('This app is suspended')).toBeHidden();
  await expect(staff.getByRole('button', { name: 'Suspend app' })).toBeVisible();
  await owner.reload();
  await expect(owner.getByRole('heading', { name: APP_NAME })).toBeVisible();
  await expect(owner.getByText('This app is suspended')).toHaveCount(0);
  await shot(staff, 'suspend-04-staff-lifted');
});
