import { expect, field, shot, test } from './helpers.js';

// The demo accounts seeded at start-up (SEED_DEMO=true), as the README's quick start prints them.
const DEMO_PASSWORD = 'portico-demo-1';

test('demo sign-in: a seeded developer signs in and out', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shot(page, 'demo-01-signin');
  await field(page, 'Email').fill('ada@portico.local');
  await field(page, 'Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  await expect(page.getByRole('link', { name: 'Account settings' }).first()).toBeVisible();
  await shot(page, 'demo-02-signed-in');

  await page.getByRole('button', { name: /user menu|Ada Lovelace/i }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/signin/);
});

test('a wrong password is refused on the sign-in page', async ({ page }) => {
  await page.goto('/signin');
  await field(page, 'Email').fill('ada@portico.local');
  await field(page, 'Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shot(page, 'demo-03-signin-refused');
});

test('the web app sends its operations by hash alone, and a page the server no longer knows asks to be reloaded', async ({
  page,
}) => {
  const bodies: Record<string, unknown>[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
      bodies.push(request.postDataJSON() as Record<string, unknown>);
    }
  });
  // As if the server ran another build: it does not know the hash of the sign-in mutation.
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string } | null;
    if (body?.operationName !== 'SignIn') return route.continue();
    await route.continue({
      postData: JSON.stringify({
        ...body,
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      }),
    });
  });
  await page.goto('/signin');
  await field(page, 'Email').fill('ada@portico.local');
  await field(page, 'Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    page.getByText('Portico was updated since this page was opened. Reload the page.'),
  ).toBeVisible();
  await shot(page, 'trusted-01-stale-page');

  await page.unroute('**/graphql');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: /Account/ }).first()).toBeVisible();

  expect(bodies.length).toBeGreaterThan(2);
  for (const body of bodies) {
    expect(body['query'], JSON.stringify(body)).toBeUndefined();
    expect(body['extensions']).toMatchObject({
      persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  }
});
