import type { Locator, Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, field, graphql, newPage, shot, signIn, test } from './helpers.js';

// From the demo seed: Ada is admin of Analytical Engines and owns Trend Radar, whose consumer
// keys include a rotation in its grace period; Grace is a developer there (read only).
const ORG_NAME = 'Analytical Engines';
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const APP_NAME = 'Trend Radar';

/** As the page shortens a public id in tables and names: `pck_` + 6 characters … last 4. */
function shortId(publicId: string): string {
  return `${publicId.slice(0, 10)}…${publicId.slice(-4)}`;
}

async function openKeysTab(page: Page, appName = APP_NAME): Promise<void> {
  const { viewer } = await graphql<{ viewer: { organizations: { id: string; name: string }[] } }>(
    page,
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
  if (!orgId) throw new Error(`Not a member of ${ORG_NAME}: is the demo seed current?`);
  await page.goto(`/orgs/${orgId}`);
  await page.getByRole('link', { name: appName, exact: true }).click();
  await expect(page.getByRole('heading', { name: appName })).toBeVisible();
  await page.getByRole('tab', { name: 'Keys and tokens' }).click();
  await expect(page).toHaveURL(/[?&]tab=keys\b/);
}

/** The modal that shows a new secret ("Your new consumer key", "Your rotated …"). */
function secretDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Your / });
}

function section(page: Page, title: string): Locator {
  return page.getByRole('region', { name: new RegExp(`^${title}`) });
}

/** Reads the secret and public id from the secret modal, checking it cannot be dismissed by accident. */
async function readSecretModal(
  page: Page,
  labels: { publicId: string | null; secret: string },
  screenshot?: string,
): Promise<{ secret: string; publicId: string | null }> {
  const dialog = secretDialog(page);
  await expect(dialog.getByText('Copy it now: you will not see this secret again')).toBeVisible();
  // The modal that led here (rotate, confirm) has finished closing.
  await expect(page.getByRole('dialog')).toHaveCount(1);
  const shown = (label: string) =>
    dialog.getByRole('textbox', { name: label, exact: true }).innerText();
  const secret = await shown(labels.secret);
  const publicId = labels.publicId ? await shown(labels.publicId) : null;
  await expect(dialog.getByRole('button', { name: `Copy ${labels.secret}` })).toBeVisible();
  if (screenshot) {
    await shot(page, screenshot);
    // The dialog alone, at full size: long tokens must show whole, underscores included.
    await dialog.screenshot({ path: path.join(SCREENSHOTS, `${screenshot}-dialog.png`) });
    // On a phone the long tokens wrap inside the dialog.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await dialog.screenshot({ path: path.join(SCREENSHOTS, `${screenshot}-phone.png`) });
    if (viewport) await page.setViewportSize(viewport);
  }
  // Neither a click outside nor Escape closes it: only the button does.
  await page.mouse.click(8, 400);
  await page.keyboard.press('Escape');
  // Longer than the modal's closing transition, so a close would have shown by now.
  await page.waitForTimeout(500);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  return { secret, publicId };
}

/** The secret is nowhere on the page any more: not in the text, not in any attribute or value. */
async function expectSecretGone(page: Page, secret: string): Promise<void> {
  await expect(page.getByText(secret)).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  const values = await page
    .locator('input, textarea')
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  expect(values).not.toContain(secret);
}

test('keys and tokens: a consumer key is shown once, rotated with grace, its grace ended early, and revoked', async ({
  page,
}) => {
  test.slow();
  await signIn(page, 'ada@portico.local');
  await openKeysTab(page);

  const consumerKeys = section(page, 'Consumer keys');
  await expect(consumerKeys).toBeVisible();
  await expect(section(page, 'Bearer tokens')).toBeVisible();
  await expect(section(page, 'Access tokens')).toBeVisible();
  await expect(section(page, 'OAuth 2.0 clients')).toBeVisible();
  await expect(
    section(page, 'OAuth 2.0 clients').getByText('No OAuth 2.0 clients yet'),
  ).toBeVisible();

  // The seeded rotation: the old key in its grace period beside its replacement.
  const seeded = consumerKeys.getByRole('region', { name: /^Rotation of API key/ });
  await expect(seeded).toHaveCount(1);
  await expect(seeded.getByText(/Grace ends in 5 days/)).toBeVisible();
  await expect(seeded.getByRole('group', { name: /^Old \(rotated out\)/ })).toBeVisible();
  await expect(seeded.getByRole('group', { name: /^New/ })).toBeVisible();
  await expect(
    section(page, 'Bearer tokens').getByRole('button', { name: 'Show 1 revoked or expired' }),
  ).toBeVisible();
  await shot(page, 'keys-01-tab');

  // Create a consumer key: the secret is shown once.
  await consumerKeys.getByRole('button', { name: 'Create consumer key' }).click();
  const created = await readSecretModal(
    page,
    { publicId: 'API key', secret: 'API key secret' },
    'keys-02-secret-modal',
  );
  expect(created.secret).toMatch(/^pcs_[0-9A-Za-z]{38}$/);
  expect(created.publicId).toMatch(/^pck_[0-9A-Za-z]{38}$/);
  const publicId = created.publicId ?? '';

  // The table shows its public id and the last four of the secret; the secret is gone.
  const row = consumerKeys.getByRole('row').filter({ hasText: shortId(publicId) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText(`pcs_…${created.secret.slice(-4)}`, { exact: true })).toBeVisible();
  await expect(row.getByText('ACTIVE', { exact: true })).toBeVisible();
  await expect(row.getByText('Never', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Copy API key' })).toBeVisible();
  await expectSecretGone(page, created.secret);
  await shot(page, 'keys-03-created');

  // Rotate it with 3 days of grace.
  await row.getByRole('button', { name: /^Rotate / }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate consumer key' });
  await expect(rotate.getByRole('heading', { name: 'Rotate consumer key' })).toBeVisible();
  await expect(field(rotate, 'Grace period (days)')).toHaveValue('7');
  await field(rotate, 'Grace period (days)').fill('3');
  await expect(rotate.getByText(/Both the current and the new secret work until/)).toBeVisible();
  await shot(page, 'keys-04-rotate-modal');
  await rotate.getByRole('button', { name: 'Rotate consumer key' }).click();
  await expect(secretDialog(page).getByText(/previous secret keeps working until/)).toBeVisible();
  const rotated = await readSecretModal(page, { publicId: 'API key', secret: 'API key secret' });
  expect(rotated.secret).not.toBe(created.secret);
  await expectSecretGone(page, rotated.secret);

  // The rotation view shows the old and the new key, each with its last use.
  const rotation = consumerKeys.getByRole('region', {
    name: `Rotation of API key ${shortId(publicId)}`,
  });
  await expect(rotation).toBeVisible();
  await expect(rotation.getByText(/Grace ends in 3 days/)).toBeVisible();
  const oldSide = rotation.getByRole('group', { name: /^Old \(rotated out\)/ });
  const newSide = rotation.getByRole('group', { name: /^New/ });
  await expect(oldSide.getByText(`pcs_…${created.secret.slice(-4)}`)).toBeVisible();
  await expect(oldSide.getByText('IN GRACE', { exact: true })).toBeVisible();
  await expect(oldSide.getByText('Never', { exact: true })).toBeVisible();
  await expect(newSide.getByText(`pcs_…${rotated.secret.slice(-4)}`)).toBeVisible();
  await expect(newSide.getByText('ACTIVE', { exact: true })).toBeVisible();
  await expect(newSide.getByText('Never', { exact: true })).toBeVisible();
  await expect(consumerKeys.getByRole('region', { name: /^Rotation of/ })).toHaveCount(2);
  await shot(page, 'keys-05-rotation');

  // End the grace period early: the old key expires and moves behind the toggle.
  await rotation.getByRole('button', { name: /^End grace now/ }).click();
  const endGrace = page.getByRole('dialog', { name: 'End grace period' });
  await expect(endGrace.getByText(/stops working at once/)).toBeVisible();
  await endGrace.getByRole('button', { name: 'End grace now' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(rotation).toHaveCount(0);
  await expect(consumerKeys.getByRole('region', { name: /^Rotation of/ })).toHaveCount(1);
  const oldRow = consumerKeys
    .getByRole('row')
    .filter({ hasText: `pcs_…${created.secret.slice(-4)}` });
  await expect(oldRow).toBeHidden();
  const toggle = consumerKeys.getByRole('button', { name: 'Show 1 revoked or expired' });
  await toggle.click();
  await expect(oldRow).toBeVisible();
  await expect(oldRow.getByText('EXPIRED', { exact: true })).toBeVisible();
  await expect(oldRow.getByRole('button')).toHaveCount(1); // only "Copy API key"
  await shot(page, 'keys-06-grace-ended');

  // Revoke the new key.
  const newRow = consumerKeys
    .getByRole('row')
    .filter({ hasText: `pcs_…${rotated.secret.slice(-4)}` });
  await newRow.getByRole('button', { name: /^Revoke / }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke consumer key' });
  await expect(revoke.getByText(/It stops working at once/)).toBeVisible();
  await revoke.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(newRow.getByText('REVOKED', { exact: true })).toBeVisible();
  await expect(newRow.getByRole('button', { name: /^(Rotate|Regenerate|Revoke) / })).toHaveCount(0);
  await expect(consumerKeys.getByRole('button', { name: 'Hide revoked or expired' })).toBeVisible();
  await shot(page, 'keys-07-revoked');

  // Regenerate a new bearer token: the old secret stops at once, a new one is shown once.
  const bearerTokens = section(page, 'Bearer tokens');
  await bearerTokens.getByRole('button', { name: 'Create bearer token' }).click();
  const bearer = await readSecretModal(page, { publicId: null, secret: 'Bearer token' });
  expect(bearer.secret).toMatch(/^pbt_[0-9A-Za-z]{38}$/);
  const bearerRow = bearerTokens
    .getByRole('row')
    .filter({ hasText: `pbt_…${bearer.secret.slice(-4)}` });
  await bearerRow.getByRole('button', { name: /^Regenerate / }).click();
  await page
    .getByRole('dialog', { name: 'Regenerate bearer token' })
    .getByRole('button', { name: 'Regenerate', exact: true })
    .click();
  await expect(secretDialog(page).getByText('The previous secret stopped working.')).toBeVisible();
  const regenerated = await readSecretModal(page, { publicId: null, secret: 'Bearer token' });
  expect(regenerated.secret).not.toBe(bearer.secret);
  await expectSecretGone(page, bearer.secret);
  await expectSecretGone(page, regenerated.secret);
  await expect(
    bearerTokens.getByRole('row').filter({ hasText: `pbt_…${regenerated.secret.slice(-4)}` }),
  ).toHaveCount(1);
  await expect(bearerRow).toBeHidden();
  await expect(
    bearerTokens.getByRole('button', { name: 'Show 2 revoked or expired' }),
  ).toBeVisible();
  await shot(page, 'keys-08-regenerated');
});

test('keys and tokens: a member who does not manage the app sees the keys, never a secret, and no actions', async ({
  browser,
  baseURL,
}) => {
  const page = await newPage(browser, baseURL);
  await signIn(page, 'grace@portico.local');
  await openKeysTab(page);
  const consumerKeys = section(page, 'Consumer keys');
  await expect(
    consumerKeys.getByRole('region', { name: /^Rotation of API key/ }).first(),
  ).toBeVisible();
  await expect(consumerKeys.getByText(/^pcs_…[0-9A-Za-z]{4}$/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Create / })).toHaveCount(0);
  await expect(
    page.getByRole('button', { name: /^(Rotate|Regenerate|Revoke|End grace now) / }),
  ).toHaveCount(0);
  await shot(page, 'keys-09-read-only');

  // Helpdesk Bridge has an access token and an OAuth 2.0 client, not used yet.
  await openKeysTab(page, 'Helpdesk Bridge');
  const accessTokens = section(page, 'Access tokens');
  await expect(accessTokens.getByRole('columnheader', { name: 'Access token' })).toBeVisible();
  await expect(accessTokens.getByText(/^pas_…[0-9A-Za-z]{4}$/)).toBeVisible();
  const clients = section(page, 'OAuth 2.0 clients');
  await expect(clients.getByRole('columnheader', { name: 'Client ID' })).toBeVisible();
  await expect(clients.getByText(/^poi_/)).toBeVisible();
  await expect(clients.getByText('Never', { exact: true })).toBeVisible();
  await shot(page, 'keys-10-access-token-and-oauth-client');
  await page.context().close();
});
