import type { Page } from '@playwright/test';
import {
  action,
  choose,
  expect,
  field,
  graphql,
  linkIn,
  newPage,
  shot,
  signIn,
  STAFF_EMAIL,
  test,
  uniqueEmail,
  waitForMail,
} from './helpers.js';

const PASSWORD = 'correct-horse-battery-9';

/** The org id from a URL like /orgs/<orgId>/... */
function orgIdOf(page: Page): string {
  const id = /\/orgs\/([^/?#]+)/.exec(new URL(page.url()).pathname)?.[1];
  if (!id || id === 'new') throw new Error(`Not on an organization page: ${page.url()}`);
  return id;
}

async function signUpInBrowser(page: Page, name: string, email: string): Promise<void> {
  await field(page, 'Name').fill(name);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('journey: sign up, verify, apply and get approved, create org, project and app, invite a developer who joins', async ({
  page,
  browser,
  baseURL,
}) => {
  // Over twenty pages, three people and three mails: allow more than the default 60 s.
  test.slow();
  const run = `${Date.now() % 1_000_000}`;
  const adminEmail = uniqueEmail('admin');
  const adminName = `Alice Admin ${run}`;
  const devEmail = uniqueEmail('dev');
  const orgName = `Journey Org ${Date.now()}`;
  const projectName = 'Weather Insights';
  const appName = `Forecast Bot ${Date.now() % 100000}`;

  // Sign up.
  await page.goto('/signup');
  await shot(page, 'a-01-signup');
  await signUpInBrowser(page, adminName, adminEmail);
  await expect(page).not.toHaveURL(/\/signup/);
  await shot(page, 'a-02-after-signup');

  // Verify the email address with the link from the mail.
  const verification = await waitForMail(adminEmail, /Verify your email for Portico/);
  await page.goto(linkIn(verification, '/verify-email'));
  await expect(page.getByText('Email verified')).toBeVisible();
  await shot(page, 'a-03-email-verified');
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page).not.toHaveURL(/\/verify-email/);
  await expect(page.getByText('Verify your email', { exact: true })).toHaveCount(0);

  // Apply for a developer account: apps can only be created once staff approve it.
  await page.getByRole('link', { name: 'Developer application' }).first().click();
  await expect(page).toHaveURL(/\/developer-application$/);
  await expect(page.getByRole('heading', { name: 'Developer application' })).toBeVisible();
  await field(page, 'Use case').fill(
    'A weather assistant for our customers: it reads daily forecasts and posts a short summary ' +
      'every morning to the teams that subscribed, with links back to the full forecast.',
  );
  await field(page, 'Company name').fill('Weather Insights Ltd');
  await shot(page, 'a-04-developer-application');
  await page.getByRole('button', { name: 'Submit application' }).click();
  await expect(page.getByText('Waiting for review.', { exact: false })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit application' })).toHaveCount(0);
  await shot(page, 'a-05-application-pending');

  // A staff member approves it from the review queue, in another browser.
  const staff = await newPage(browser, baseURL);
  await signIn(staff, STAFF_EMAIL);
  await staff.getByRole('link', { name: 'Review queue' }).first().click();
  await expect(staff).toHaveURL(/\/staff\/review$/);
  const applicationLink = staff.getByRole('link', { name: `${adminName}'s application` });
  await expect(applicationLink).toBeVisible();
  await shot(staff, 'a-06-staff-review-queue');
  await applicationLink.click();
  await expect(staff).toHaveURL(/\/staff\/applications\/[^/]+$/);
  await expect(
    staff.getByRole('heading', { name: `Developer application: ${adminName}` }),
  ).toBeVisible();
  await shot(staff, 'a-07-staff-application');
  await staff.getByRole('button', { name: 'Approve', exact: true }).click();
  const decision = staff.getByRole('dialog');
  await field(decision, 'Reason').fill('Clear use case. Welcome aboard!');
  await shot(staff, 'a-08-staff-approve-modal');
  await decision.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(staff.getByRole('dialog')).toHaveCount(0);
  await expect(staff.getByText(/Approved by Sam Staff/)).toBeVisible();
  await expect(staff.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await shot(staff, 'a-09-staff-application-approved');
  await staff.context().close();

  // The applicant's page shows the decision without a reload, and the mail arrives.
  await expect(page.getByText('Your developer account is approved', { exact: true })).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByText('Clear use case. Welcome aboard!').first()).toBeVisible();
  await shot(page, 'a-10-application-approved');
  await waitForMail(adminEmail, /Your Portico developer account is approved/);

  // Create an organization.
  await page.goto('/orgs/new');
  await field(page, 'Organization name').fill(orgName);
  await shot(page, 'a-11-new-organization');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/orgs\/(?!new)[^/]+$/);
  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();
  const orgId = orgIdOf(page);
  await shot(page, 'a-12-empty-dashboard');

  // Create a project.
  await action(page, 'New project').click();
  await field(page, 'Project name').fill(projectName);
  await field(page, 'Description').fill('Forecasts for our customers');
  await field(page, 'Use case').fill('Show daily forecasts in our app');
  await shot(page, 'a-13-new-project');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('button', { name: 'Create project' })).toHaveCount(0);
  await page.goto(`/orgs/${orgId}`);
  await expect(page.getByRole('link', { name: projectName })).toBeVisible();
  await shot(page, 'a-14-dashboard-with-project');

  // Create an app in that project.
  await action(page, 'New app').click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/apps/new`));
  await field(page, 'App name').fill(appName);
  await field(page, 'Description').fill('Posts the forecast every morning');
  await choose(page, 'Project', projectName);
  await field(page, 'Use case').fill('Read forecasts for our users');
  await field(page, 'Website URL').fill('https://forecast.example.com');
  await field(page, 'Callback URLs').fill('https://forecast.example.com/oauth/callback');
  await shot(page, 'a-15-new-app');
  await page.getByRole('button', { name: 'Create app' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/apps/(?!new)[^/]+`));
  await expect(page.getByRole('tab', { name: 'Details' })).toBeVisible();
  await expect(field(page, 'App name')).toHaveValue(appName);
  await shot(page, 'a-16-app-page');

  // The app is listed on the dashboard under its project.
  await page.getByRole('link', { name: 'Dashboard' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}$`));
  await expect(page.getByRole('link', { name: projectName })).toBeVisible();
  await expect(page.getByText(appName, { exact: true }).first()).toBeVisible();
  await shot(page, 'a-17-dashboard-with-app');

  // Invite a teammate as a Developer.
  await page.getByRole('link', { name: 'Team' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/team`));
  await expect(page.getByRole('tab', { name: 'Active' })).toBeVisible();
  await shot(page, 'a-18-team');
  await page.getByRole('button', { name: 'Invite member' }).click();
  const dialog = page.getByRole('dialog');
  await field(dialog, 'Email').fill(devEmail);
  await choose(dialog, 'Role', 'Developer');
  await shot(page, 'a-19-invite-modal');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Invited' }).click();
  await expect(page.getByText(devEmail).first()).toBeVisible();
  await shot(page, 'a-20-team-invited');

  // The teammate opens the invitation from the mail, signed out.
  const invitation = await waitForMail(devEmail, /You're invited to join .* on Portico/);
  const invitationLink = linkIn(invitation, '/invitations/');
  const dev = await newPage(browser, baseURL);
  await dev.goto(invitationLink);
  await expect(dev.getByText(orgName).first()).toBeVisible();
  await shot(dev, 'a-21-invitation-signed-out');

  // ... signs up with the invited address and comes back to the invitation.
  await dev.getByRole('link', { name: /sign up|create (an )?account/i }).click();
  await expect(dev).toHaveURL(/\/signup/);
  await shot(dev, 'a-22-invitee-signup');
  await signUpInBrowser(dev, 'Dana Developer', devEmail);
  // Signing up answers the same for any address and signs in from the link it mails, which
  // leads back to the invitation.
  await expect(dev.getByText('Check your email')).toBeVisible();
  const devVerification = await waitForMail(devEmail, /Verify your email for Portico/);
  await dev.goto(linkIn(devVerification, '/verify-email'));
  await dev.getByRole('link', { name: 'Continue' }).click();
  await expect(dev).toHaveURL(new URL(invitationLink).pathname);
  await expect(dev.getByRole('button', { name: 'Accept invitation' })).toBeVisible();
  await expect(dev.getByText(orgName).first()).toBeVisible();
  await shot(dev, 'a-23-invitation-signed-in');

  // ... accepts, and sees the app on the organization's dashboard.
  await dev.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(dev).toHaveURL(new RegExp(`/orgs/${orgId}`));
  if (!new URL(dev.url()).pathname.endsWith(`/orgs/${orgId}`)) await dev.goto(`/orgs/${orgId}`);
  await expect(dev.getByRole('heading', { name: orgName })).toBeVisible();
  await expect(dev.getByText(appName, { exact: true }).first()).toBeVisible();
  await expect(action(dev, 'New project')).toHaveCount(0);
  // Viewing apps needs no developer application; creating one would.
  await expect(dev.getByText('Apply for a developer account to create apps')).toBeVisible();
  await shot(dev, 'a-24-invitee-dashboard');

  await dev.context().close();
});

const ADMIN_NAME = 'Ari Admin';
const DEV_NAME = 'Devi Developer';

interface TeamSetup {
  orgId: string;
  orgName: string;
  adminEmail: string;
  devEmail: string;
}

/** Signs up through the API and signs in with the link the sign-up mails. */
async function signUpThroughApi(page: Page, email: string, name: string): Promise<void> {
  await graphql(
    page,
    `
      mutation SignUp($input: SignUpInput!) {
        signUp(input: $input) {
          sent
        }
      }
    `,
    {
      input: { email, name, password: PASSWORD },
    },
  );
  const verification = await waitForMail(email, /Verify your email for Portico/);
  const token = new URL(linkIn(verification, '/verify-email')).searchParams.get('token');
  await graphql(
    page,
    `
      mutation Verify($input: VerifyEmailInput!) {
        verifyEmail(input: $input) {
          user {
            id
          }
        }
      }
    `,
    { input: { token } },
  );
}

/** An org with an admin and a developer, made through the API (the first journey covers the UI). */
async function teamThroughApi(admin: Page, dev: Page): Promise<TeamSetup> {
  const adminEmail = uniqueEmail('team-admin');
  const devEmail = uniqueEmail('team-dev');
  const orgName = `Team Org ${Date.now()}`;
  await signUpThroughApi(admin, adminEmail, ADMIN_NAME);
  const created = await graphql<{ createOrganization: { organization: { id: string } } }>(
    admin,
    `
      mutation CreateOrg($input: CreateOrganizationInput!) {
        createOrganization(input: $input) {
          organization {
            id
          }
        }
      }
    `,
    { input: { name: orgName } },
  );
  const orgId = created.createOrganization.organization.id;
  await graphql(
    admin,
    `
      mutation Invite($input: InviteMemberInput!) {
        inviteMember(input: $input) {
          invitation {
            id
          }
        }
      }
    `,
    { input: { organizationId: orgId, email: devEmail, role: 'DEVELOPER' } },
    { organization: orgId },
  );
  await signUpThroughApi(dev, devEmail, DEV_NAME);
  const invitation = await waitForMail(devEmail, /You're invited to join/);
  const token = new URL(linkIn(invitation, '/invitations/')).pathname.split('/').pop();
  await graphql(
    dev,
    `
      mutation Accept($input: AcceptInvitationInput!) {
        acceptInvitation(input: $input) {
          organization {
            id
          }
        }
      }
    `,
    { input: { token } },
  );
  return { orgId, orgName, adminEmail, devEmail };
}

test('team page: a developer sees no role or remove controls, an admin does', async ({
  page,
  browser,
  baseURL,
}) => {
  const dev = await newPage(browser, baseURL);
  const { orgId } = await teamThroughApi(page, dev);

  await dev.goto(`/orgs/${orgId}/team`);
  await expect(dev.getByRole('tab', { name: 'Active' })).toBeVisible();
  await expect(dev.getByText(ADMIN_NAME).first()).toBeVisible();
  await expect(dev.getByText(DEV_NAME).first()).toBeVisible();
  await expect(dev.getByRole('button', { name: 'Change role' })).toHaveCount(0);
  await expect(dev.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await expect(dev.getByRole('button', { name: 'Leave organization' })).toBeVisible();
  await shot(dev, 'b-01-team-as-developer');

  await page.goto(`/orgs/${orgId}/team`);
  await expect(page.getByRole('tab', { name: 'Active' })).toBeVisible();
  await expect(page.getByText(DEV_NAME).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change role' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Invite member' }).first()).toBeVisible();
  await shot(page, 'b-02-team-as-admin');

  await dev.context().close();
});
