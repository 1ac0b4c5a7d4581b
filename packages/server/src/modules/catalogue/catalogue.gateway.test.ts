import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { addMember, auditEntriesFor } from '../../../test/app-builders.js';
import {
  gatewayProduct,
  grantedApp,
  reloadCatalogs,
  verify,
} from '../../../test/gateway-builders.js';
import { CREATE_ENTRY, openApiYaml, saveDocument } from '../../../test/catalogue-builders.js';
import { MemberRole } from '../orgs/orgs.entity.js';
import { Notification } from '../notifications/notifications.entity.js';
import { SandboxToken } from './catalogue.entity.js';

const server = useTestServer();

const MINT = `mutation ($input: CreateSandboxTokenInput!) {
  createSandboxToken(input: $input) { token sandboxTokenId expiresAt permissionLevel app { id } product { id } }
}`;

interface Minted {
  createSandboxToken: {
    token: string;
    sandboxTokenId: string;
    expiresAt: string;
    permissionLevel: string;
  };
}

describe('sandbox tokens', () => {
  it('work for one app and product, read-only unless asked, and are stored hashed and audited', async () => {
    const product = await gatewayProduct(server);
    const other = await gatewayProduct(server);
    const granted = await grantedApp(server, [product, other], { permissionLevel: 'READ_WRITE' });
    const minted = await granted.client.ok<Minted>(MINT, {
      input: { appId: granted.appId, productId: product.id, minutes: 5 },
    });
    const { token, sandboxTokenId, expiresAt, permissionLevel } = minted.createSandboxToken;
    expect(token).toMatch(/^psb_[0-9A-Za-z]{38}$/);
    expect(permissionLevel).toBe('READ');
    const minutes = (Date.parse(expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(4);
    expect(minutes).toBeLessThanOrEqual(5);

    const read = await verify(server.url, { token, uri: `${product.prefix}/items` });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-portico-app')).toBe(granted.appId);
    const write = await verify(server.url, {
      token,
      method: 'POST',
      uri: `${product.prefix}/items`,
    });
    expect(write.body.code).toBe('insufficient_permission');
    const elsewhere = await verify(server.url, { token, uri: `${other.prefix}/items` });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('sandbox_other_product');

    const stored = await server.orm.em.fork().findOneOrFail(SandboxToken, { id: sandboxTokenId });
    expect(stored.secretHash).not.toContain(token);
    expect(stored.lastFour).toBe(token.slice(-4));
    const audit = await auditEntriesFor(server, granted.appId);
    const entry = audit.find((a) => a.action === 'catalogue.sandbox_token.create');
    expect(entry?.data).toMatchObject({ sandboxTokenId, productId: product.id });
    expect(JSON.stringify(entry?.data)).not.toContain(token);

    const writer = await granted.client.ok<Minted>(MINT, {
      input: { appId: granted.appId, productId: product.id, permissionLevel: 'READ_WRITE' },
    });
    const posted = await verify(server.url, {
      token: writer.createSandboxToken.token,
      method: 'POST',
      uri: `${product.prefix}/items`,
    });
    expect(posted.status).toBe(200);
    const tooMuch = await granted.client.fails(MINT, {
      input: { appId: granted.appId, productId: product.id, permissionLevel: 'READ_WRITE_DM' },
    });
    expect(tooMuch).toMatchObject({ code: 'BAD_USER_INPUT', field: 'permissionLevel' });
  });

  it('stop working when they expire', async () => {
    const product = await gatewayProduct(server);
    const granted = await grantedApp(server, [product]);
    const minted = await granted.client.ok<Minted>(MINT, {
      input: { appId: granted.appId, productId: product.id, minutes: 1 },
    });
    const { token, sandboxTokenId } = minted.createSandboxToken;
    await server.orm.em
      .fork()
      .nativeUpdate(SandboxToken, { id: sandboxTokenId }, { expiresAt: new Date(Date.now() - 1) });
    server.app.gateway.cache.clear();
    const expired = await verify(server.url, { token, uri: `${product.prefix}/items` });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({
      code: 'expired_credential',
      message: 'This sandbox token has expired.',
    });
  });

  it('are refused for apps that are not the caller’s, or not granted the product', async () => {
    const product = await gatewayProduct(server);
    const ungranted = await gatewayProduct(server);
    const granted = await grantedApp(server, [product]);
    const outsider = await signUpUser(server);
    expect(
      await outsider.client.fails(MINT, {
        input: { appId: granted.appId, productId: product.id },
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
    const member = await signUpUser(server);
    await addMember(server, granted.org.id, member, MemberRole.DEVELOPER);
    expect(
      (await member.client.fails(MINT, { input: { appId: granted.appId, productId: product.id } }))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      await granted.client.fails(MINT, {
        input: { appId: granted.appId, productId: ungranted.id },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'productId' });
    expect(
      await granted.client.fails(MINT, {
        input: { appId: granted.appId, productId: product.id, minutes: 61 },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'minutes' });
    expect(
      (
        await server
          .client()
          .fails(MINT, { input: { appId: granted.appId, productId: product.id } })
      ).code,
    ).toBe('UNAUTHENTICATED');
  });
});

describe('changelog and deprecation', () => {
  it('tells exactly the owners of apps granted the product, and adds Deprecation and Sunset headers', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server);
    const unrelated = await gatewayProduct(server);
    const first = await grantedApp(server, [product]);
    const second = await grantedApp(server, [product]);
    const bystander = await grantedApp(server, [unrelated]);
    const firstOwner = first.org.admins[0]!.id;
    const secondOwner = second.org.admins[0]!.id;
    const bystanderOwner = bystander.org.admins[0]!.id;

    await saveDocument(staff.client, {
      productId: product.id,
      kind: 'OPENAPI',
      title: 'API',
      source: openApiYaml(product.prefix),
    });
    const draft = await staff.client.ok<{
      createChangelogEntry: {
        entry: { id: string; publishedAt: string | null };
        notifiedOwners: number;
      };
    }>(CREATE_ENTRY, {
      input: { productId: product.id, kind: 'NEW', title: 'Item search' },
    });
    expect(draft.createChangelogEntry).toMatchObject({
      notifiedOwners: 0,
      entry: { publishedAt: null },
    });

    const deprecationAt = new Date(Date.UTC(2026, 10, 1, 0, 0, 0));
    const sunsetAt = new Date(Date.UTC(2027, 1, 1, 0, 0, 0));
    const published = await staff.client.ok<{
      createChangelogEntry: { entry: { id: string }; notifiedOwners: number };
    }>(CREATE_ENTRY, {
      input: {
        productId: product.id,
        kind: 'DEPRECATED',
        title: 'Items v1 is going away',
        deprecationAt: deprecationAt.toISOString(),
        sunsetAt: sunsetAt.toISOString(),
        publish: true,
      },
    });
    expect(published.createChangelogEntry.notifiedOwners).toBe(2);

    const notified = await server.orm.em
      .fork()
      .find(Notification, { kind: 'catalogue.changelog' }, { populate: ['user'] });
    const owners = notified.map((n) => n.user.id);
    expect(owners).toContain(firstOwner);
    expect(owners).toContain(secondOwner);
    expect(owners).not.toContain(bystanderOwner);
    // The web app's route of the product's changelog.
    const ownersNotices = notified.filter((n) => [firstOwner, secondOwner].includes(n.user.id));
    expect(ownersNotices.map((n) => n.link)).toEqual([
      `/docs/${product.slug}?tab=changelog`,
      `/docs/${product.slug}?tab=changelog`,
    ]);
    const mail = await server.mail.waitFor(first.org.admins[0]!.email, /deprecation notice/);
    expect(mail.text).toContain('2027-02-01');
    expect(mail.text).toContain(`/docs/${product.slug}?tab=changelog`);
    // Mail is written to the outbox in the mutation's transaction: none is there for the bystander.
    const [bystanderMail] = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from mail_message where "to" = ? and subject ilike ?`,
        [bystander.org.admins[0]!.email.toLowerCase(), '%deprecation notice%'],
      );
    expect(bystanderMail?.n).toBe(0);

    await reloadCatalogs(server);
    const answer = await verify(server.url, {
      token: first.credential.secret,
      uri: `${product.prefix}/items`,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('deprecation')).toBe(`@${deprecationAt.getTime() / 1000}`);
    expect(answer.headers.get('sunset')).toBe(sunsetAt.toUTCString());
    const other = await verify(server.url, {
      token: bystander.credential.secret,
      uri: `${unrelated.prefix}/items`,
    });
    expect(other.headers.get('deprecation')).toBeNull();
  });

  it('adds the headers for a deprecated endpoint only when the request matches it', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server);
    const granted = await grantedApp(server, [product]);
    await saveDocument(staff.client, {
      productId: product.id,
      kind: 'OPENAPI',
      title: 'API',
      source: openApiYaml(product.prefix),
    });
    await staff.client.ok(CREATE_ENTRY, {
      input: {
        productId: product.id,
        kind: 'DEPRECATED',
        title: 'Single item lookup is deprecated',
        endpointMethod: 'get',
        endpointPath: '/items/{id}',
        sunsetAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        publish: true,
      },
    });
    await reloadCatalogs(server);
    const matching = await verify(server.url, {
      token: granted.credential.secret,
      uri: `${product.prefix}/items/abc?x=1`,
    });
    expect(matching.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(matching.headers.get('sunset')).toMatch(/GMT$/);
    const list = await verify(server.url, {
      token: granted.credential.secret,
      uri: `${product.prefix}/items`,
    });
    expect(list.headers.get('deprecation')).toBeNull();
  });

  it('refuses bad dates and changelog writes by non-staff', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server);
    expect(
      await staff.client.fails(CREATE_ENTRY, {
        input: {
          productId: product.id,
          kind: 'DEPRECATED',
          title: 'x',
          deprecationAt: '2027-01-02T00:00:00Z',
          sunsetAt: '2027-01-01T00:00:00Z',
        },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sunsetAt' });
    expect(
      await staff.client.fails(CREATE_ENTRY, {
        input: { productId: product.id, kind: 'NEW', title: 'x', sunsetAt: '2027-01-01T00:00:00Z' },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sunsetAt' });
    const developer = await signUpUser(server);
    expect(
      (
        await developer.client.fails(CREATE_ENTRY, {
          input: { productId: product.id, kind: 'NEW', title: 'x' },
        })
      ).code,
    ).toBe('FORBIDDEN');
  });
});
