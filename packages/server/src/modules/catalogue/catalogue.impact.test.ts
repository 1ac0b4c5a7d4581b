import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { gatewayProduct, grantedApp, verify } from '../../../test/gateway-builders.js';
import { writeMinutes } from '../../../test/usage-builders.js';
import { rollUpUsage } from '../usage/usage.rollup.js';
import { Notification } from '../notifications/notifications.entity.js';

const server = useTestServer();

const IMPACT = `query ($id: ID!) { deprecationImpact(productId: $id) {
  totalRequests organizationCount
  apps { app { id } organization { id } ownerEmail requests lastWeekRequests previousWeekRequests daily lastCalledAt }
} }`;
const NOTICE = `mutation ($input: SendDeprecationNoticeInput!) { sendDeprecationNotice(input: $input) { notifiedOwners } }`;

interface Impact {
  deprecationImpact: {
    totalRequests: number;
    organizationCount: number;
    apps: {
      app: { id: string };
      ownerEmail: string;
      requests: number;
      lastWeekRequests: number;
      previousWeekRequests: number;
      daily: number[];
      lastCalledAt: string | null;
    }[];
  };
}

describe('deprecation impact', () => {
  it('shows the apps that called the product in 30 days, and notifies exactly their owners', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server);
    const caller = await grantedApp(server, [product]);
    const quiet = await grantedApp(server, [product]);
    const old = await grantedApp(server, [product]);

    expect(
      (await verify(server.url, { token: caller.credential.secret, uri: `${product.prefix}/x` }))
        .status,
    ).toBe(200);
    await server.app.gateway.flush();
    const day = 86_400_000;
    const minuteAgo = (ms: number) => new Date(Math.floor((Date.now() - ms) / 60_000) * 60_000);
    const tenDaysAgo = minuteAgo(10 * day);
    await writeMinutes(server, [
      {
        bucket: tenDaysAgo,
        organizationId: caller.org.id,
        appId: caller.appId,
        productId: product.id,
        requests: 40,
      },
      {
        bucket: minuteAgo(45 * day),
        organizationId: old.org.id,
        appId: old.appId,
        productId: product.id,
        requests: 99,
      },
    ]);

    const impact = await staff.client.ok<Impact>(IMPACT, { id: product.id });
    const apps = impact.deprecationImpact.apps;
    expect(apps.map((a) => a.app.id)).toEqual([caller.appId]);
    expect(apps[0]).toMatchObject({
      ownerEmail: caller.org.admins[0]!.email,
      requests: 41,
      lastWeekRequests: 1,
      previousWeekRequests: 40,
    });
    expect(apps[0]?.daily).toHaveLength(30);
    expect(apps[0]?.daily.at(-1)).toBe(1);
    expect(impact.deprecationImpact.organizationCount).toBe(1);
    expect(Date.parse(apps[0]!.lastCalledAt!)).toBeGreaterThan(tenDaysAgo.getTime());

    // Read the same once the minutes are rolled up into hours and days.
    await rollUpUsage(server.orm.em.fork());
    const rolled = await staff.client.ok<Impact>(IMPACT, { id: product.id });
    expect(rolled.deprecationImpact.apps.map((a) => a.app.id)).toEqual([caller.appId]);
    expect(rolled.deprecationImpact.apps[0]).toMatchObject({
      requests: 41,
      lastWeekRequests: 1,
      previousWeekRequests: 40,
    });

    const developer = await signUpUser(server);
    expect((await developer.client.fails(IMPACT, { id: product.id })).code).toBe('FORBIDDEN');
    expect(
      (await developer.client.fails(NOTICE, { input: { productId: product.id, message: 'Bye' } }))
        .code,
    ).toBe('FORBIDDEN');

    const sent = await staff.client.ok<{ sendDeprecationNotice: { notifiedOwners: number } }>(
      NOTICE,
      { input: { productId: product.id, message: 'This product is going away on 1 March.' } },
    );
    expect(sent.sendDeprecationNotice.notifiedOwners).toBe(1);
    const notices = await server.orm.em
      .fork()
      .find(Notification, { kind: 'catalogue.deprecation_notice' }, { populate: ['user'] });
    const told = notices.map((n) => n.user.id);
    expect(told).toContain(caller.org.admins[0]!.id);
    expect(told).not.toContain(quiet.org.admins[0]!.id);
    expect(told).not.toContain(old.org.admins[0]!.id);
    expect(notices.find((n) => n.user.id === caller.org.admins[0]!.id)?.link).toBe(
      `/docs/${product.slug}?tab=changelog`,
    );
    await server.mail.waitFor(caller.org.admins[0]!.email, /deprecation notice/);
  });
});
