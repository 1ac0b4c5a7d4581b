import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, field, graphql, shot, signIn, test } from './helpers.js';

// From the demo seed: Ada is admin of Analytical Engines; Grace is a developer there.
const ORG_NAME = 'Analytical Engines';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on this machine (the e2e server runs in development, which allows loopback). */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('thanks, got it');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/portico-hooks`, received };
}

/** The Standard Webhooks check a receiver makes: an HMAC-SHA256 of `id.timestamp.body`. */
function signatureMatches(secret: string, request: Received): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.${request.body}`)
    .digest('base64');
  return String(request.headers['webhook-signature'])
    .split(' ')
    .some((entry) => entry === `v1,${expected}`);
}

async function orgIdOf(page: import('@playwright/test').Page, name: string): Promise<string> {
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
    { organization: name },
  );
  const id = viewer.organizations.find((org) => org.name === name)?.id;
  if (!id) throw new Error(`Not a member of ${name}: is the demo seed current?`);
  return id;
}

test('an admin registers a webhook endpoint, sends a test event and sees it delivered', async ({
  page,
}) => {
  // A long journey (two sign-ins, several deliveries).
  test.slow();
  const receiver = await startReceiver();
  try {
    await signIn(page, 'ada@portico.local');
    const orgId = await orgIdOf(page, ORG_NAME);
    await page.goto(`/orgs/${orgId}`);
    await page.getByRole('link', { name: 'Webhooks' }).first().click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/webhooks$`));
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 2 })).toBeVisible();
    await expect(page.getByText('No webhook endpoints yet')).toBeVisible();
    await shot(page, 'webhooks-empty');

    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook endpoint' });
    await field(dialog, 'Endpoint URL').fill(receiver.url);
    await field(dialog, 'Description').fill('Provisioning service');
    // Nothing chosen: the server names the field.
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(dialog.getByText('Choose at least one event.')).toBeVisible();
    await dialog.getByRole('checkbox', { name: /app\.approved/ }).check();
    await dialog.getByRole('checkbox', { name: /credential\.revoked/ }).check();
    await shot(page, 'webhooks-new-endpoint');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();

    const shown = page.getByRole('dialog', { name: "Your endpoint's signing secret" });
    const secret = (await shown.getByTestId('webhook-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await shot(page, 'webhooks-secret');
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(shown).toBeHidden();

    const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
    await expect(endpoints.getByText(receiver.url)).toBeVisible();
    await expect(endpoints.getByText('app.approved')).toBeVisible();
    await expect(endpoints.getByText('Enabled')).toBeVisible();
    const log = page.getByLabel('Delivery log');
    await expect(log.getByText('Nothing sent yet')).toBeVisible();

    await log.getByRole('button', { name: 'Send test event' }).first().click();
    const row = log.getByTestId('webhook-delivery').first();
    await expect(row.getByText('webhook.test')).toBeVisible();
    await expect(row.getByText('Delivered')).toBeVisible();
    await expect(row.getByRole('button', { name: /HTTP 200/ })).toBeVisible();
    await expect(row.getByText(/\d+ ms/)).toBeVisible();

    // The receiver got it, signed with the secret that was shown.
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'webhook.test',
      data: { organizationId: orgId },
    });
    expect(signatureMatches(secret, request!)).toBe(true);

    // The response excerpt is one click away.
    await row.getByRole('button', { name: /HTTP 200/ }).click();
    await expect(page.getByText('thanks, got it')).toBeVisible();
    await shot(page, 'webhooks-delivered');
    await page.keyboard.press('Escape');

    // Replay sends the same message again.
    await row.getByRole('button', { name: 'Replay' }).click();
    await expect(log.getByTestId('webhook-delivery')).toHaveCount(2);
    await expect(log.getByTestId('webhook-delivery').first().getByText('Delivered')).toBeVisible();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(request!.headers['webhook-id']);

    // Rotating the secret keeps the old one signing for the overlap.
    await page.getByRole('button', { name: `Actions for ${receiver.url}` }).click();
    await page.getByRole('menuitem', { name: 'Rotate secret' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate signing secret' });
    await expect(field(rotate, 'Overlap (hours)')).toHaveValue('24');
    await shot(page, 'webhooks-rotate');
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = page.getByRole('dialog', { name: 'Your new signing secret' });
    const newSecret = (await rotated.getByTestId('webhook-secret').innerText()).trim();
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole('button', { name: 'Done' }).click();
    await expect(endpoints.getByText(/Old secret signs until/)).toBeVisible();
    await log.getByRole('button', { name: 'Send test event' }).first().click();
    await expect(log.getByTestId('webhook-delivery')).toHaveCount(3);
    await expect(log.getByTestId('webhook-delivery').first().getByText('Delivered')).toBeVisible();
    const signedTwice = receiver.received[2]!;
    expect(signatureMatches(newSecret, signedTwice)).toBe(true);
    expect(signatureMatches(secret, signedTwice)).toBe(true);

    // Disabled, it sends nothing and says so.
    await page.getByRole('button', { name: `Actions for ${receiver.url}` }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await expect(endpoints.getByText('Disabled')).toBeVisible();
    await expect(log.getByRole('button', { name: 'Send test event' }).first()).toBeDisabled();
    await shot(page, 'webhooks-disabled');
    await page.getByRole('button', { name: `Actions for ${receiver.url}` }).click();
    await page.getByRole('menuitem', { name: 'Enable' }).click();
    await expect(endpoints.getByText('Enabled')).toBeVisible();

    // Grace, a developer of the organization, is told the page is for admins.
    const other = await page
      .context()
      .browser()!
      .newContext({ baseURL: new URL(page.url()).origin });
    const gracePage = await other.newPage();
    await signIn(gracePage, 'grace@portico.local');
    await gracePage.goto(`/orgs/${orgId}/webhooks`);
    await expect(gracePage.getByText('Admins only')).toBeVisible();
    await other.close();
  } finally {
    receiver.server.closeAllConnections();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  }
});
