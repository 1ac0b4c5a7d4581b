import type { APIRequestContext, Page } from '@playwright/test';
import {
  choose,
  closeToasts,
  expect,
  field,
  graphql,
  newPage,
  shot,
  signIn,
  test,
  waitForMail,
  webOperation,
} from './helpers.js';

const ADA = 'ada@portico.local';
const GRACE = 'grace@portico.local';
const ORG_NAME = 'Analytical Engines';

/** Calls the API with a bearer token (no cookies): the HTTP status and the answer. */
async function withToken(
  request: APIRequestContext,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: { data?: Record<string, unknown> | null } }> {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
  });
  return { status: response.status(), body: (await response.json()) as { data?: never } };
}

async function organizationId(page: Page): Promise<string> {
  const data = await graphql<{ viewer: { organizations: { id: string; name: string }[] } }>(
    page,
    `
      {
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
  const org = data.viewer.organizations.find((o) => o.name === ORG_NAME);
  if (!org) throw new Error(`${ORG_NAME} is not among the viewer's organizations`);
  return org.id;
}

/** Sets the organization's token policy with the web app's own mutation (sessions only). */
async function setPolicy(page: Page, orgId: string, policy: string): Promise<void> {
  await webOperation(page, 'SetOrganizationTokenPolicy', {
    input: { organizationId: orgId, policy },
  });
}

test('tokens: an admin requires approval, a developer makes a fine-grained token that works once approved', async ({
  page,
  browser,
  baseURL,
}) => {
  test.slow();
  await signIn(page, ADA);
  const orgId = await organizationId(page);
  try {
    // Ada, an admin, requires approval of new tokens in the organization's settings.
    await page.goto(`/orgs/${orgId}/settings`);
    await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
    await page.getByRole('radio', { name: /Require approval/ }).check();
    await page.getByRole('button', { name: 'Save token policy' }).click();
    await expect(page.getByText('Token policy saved')).toBeVisible();

    // Grace, a developer there, makes a token for it: Organization and Credentials read, Apps
    // write, for 30 days.
    const grace = await newPage(browser, baseURL);
    await signIn(grace, GRACE);
    await grace.goto('/account');
    await grace.getByRole('button', { name: 'New token' }).first().click();
    const dialog = grace.getByRole('dialog', { name: 'New fine-grained token' });
    await field(dialog, 'Token name').fill('Release pipeline');
    await choose(dialog, 'Resource', ORG_NAME);
    await expect(dialog.getByText(/requires an admin to approve new tokens/)).toBeVisible();
    await choose(dialog, 'Expires in', '30 days');
    await dialog
      .getByRole('radiogroup', { name: 'Organization access' })
      .getByText('Read', { exact: true })
      .click();
    await dialog
      .getByRole('radiogroup', { name: 'Apps access' })
      .getByText('Write', { exact: true })
      .click();
    await dialog
      .getByRole('radiogroup', { name: 'Credentials access' })
      .getByText('Read', { exact: true })
      .click();
    await closeToasts(grace);
    await shot(grace, 't-01-new-fine-grained-token');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const shown = grace.getByRole('dialog', { name: 'Your new token' });
    const token = (await shown.getByTestId('new-token').innerText()).trim();
    expect(token).toMatch(/^ptf_/);
    await expect(shown.getByText(/works once approved/)).toBeVisible();
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = grace.getByRole('row').filter({ hasText: 'Release pipeline' });
    await expect(row.getByText('Fine-grained')).toBeVisible();
    await expect(row.getByText('Waiting for approval')).toBeVisible();
    await expect(row.getByText('Apps: write')).toBeVisible();
    await expect(row.getByText(ORG_NAME)).toBeVisible();
    await shot(grace, 't-02-token-waits');
    // Until approved, the API refuses it.
    expect((await withToken(grace.request, token, '{ viewer { id } }')).status).toBe(401);

    // Ada is told, and approves it from the settings page.
    await waitForMail(ADA, /asks for a personal access token/);
    await page.reload();
    const pending = page.getByRole('table', { name: 'Tokens waiting for approval' });
    const request = pending.getByRole('row').filter({ hasText: 'Release pipeline' });
    await expect(request.getByText('Apps: write')).toBeVisible();
    await expect(request.getByText('Credentials: read')).toBeVisible();
    await shot(page, 't-03-settings-pending');
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByText('Token approved')).toBeVisible();
    const granted = page
      .getByRole('table', { name: 'Tokens for this organization' })
      .getByRole('row')
      .filter({ hasText: 'Release pipeline' });
    await expect(granted.getByText('Active')).toBeVisible();
    await waitForMail(GRACE, /Release pipeline was approved/);

    // The token now works, for this organization alone.
    const used = await withToken(
      grace.request,
      token,
      `{ viewer { organizations { name apps { name } } } }`,
    );
    expect(used.status).toBe(200);
    const organizations = (used.body.data?.viewer as { organizations: { name: string }[] })
      .organizations;
    expect(organizations.map((org) => org.name)).toEqual([ORG_NAME]);

    await grace.reload();
    await expect(row.getByText('Active')).toBeVisible();
    await expect(row.getByText(/^from /)).toBeVisible();
    await shot(grace, 't-04-account-tokens');
    await shot(page, 't-05-settings');
    await grace.context().close();

    // Ada's token from before fine-grained tokens still works, shown as classic.
    await page.goto('/account');
    const classic = page.getByRole('row').filter({ hasText: 'Legacy deploy script' });
    await expect(classic.getByText('Classic')).toBeVisible();
    await expect(classic.getByText('All your organizations')).toBeVisible();
    await expect(classic.getByText('Active')).toBeVisible();
    await shot(page, 't-06-account-classic');
  } finally {
    await setPolicy(page, orgId, 'ALLOW');
  }
});
