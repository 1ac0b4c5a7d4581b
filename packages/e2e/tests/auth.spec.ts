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
