import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { gatewayProduct, planFor, sql } from '../../../test/gateway-builders.js';
import { writeMinutes } from '../../../test/usage-builders.js';
import { sendUsageAlerts } from './usage.alerts.js';
import { rollUpUsage } from './usage.rollup.js';

const server = useTestServer();

async function run(now: string) {
  await rollUpUsage(server.orm.em.fork());
  return sendUsageAlerts(server.orm.em.fork(), new Date(now), server.app.services);
}

describe('usage cap alerts', () => {
  it('tell admins and app owners at 50, 80 and 100 % of a cap, once per month each', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 2 });
    const [admin] = org.admins;
    const [owner, bystander] = org.developers;
    const app = await createApp(owner!.client, org.id);
    const product = await gatewayProduct(server);
    await planFor([server], org.id, product.id, { monthlyRequestCap: 100, monthlyUnitCap: 1000 });
    const use = (bucket: string, requests: number, units = 0) =>
      writeMinutes(server, [
        { bucket, organizationId: org.id, appId: app.id, productId: product.id, requests, units },
      ]);

    await use('2027-07-10T10:00:00Z', 49);
    expect(await run('2027-07-15T00:00:00Z')).toEqual([]);
    await use('2027-07-10T10:01:00Z', 1);
    const first = await run('2027-07-15T00:00:00Z');
    expect(first).toEqual([
      expect.objectContaining({ metric: 'REQUESTS', threshold: 50, organizationId: org.id }),
    ]);
    expect(new Set(first[0]!.recipients)).toEqual(new Set([admin!.id, owner!.id]));
    expect(first[0]!.recipients).not.toContain(bystander!.id);
    // Rerun, or a late minute that changes nothing to the threshold: no second alert.
    expect(await run('2027-07-15T00:00:00Z')).toEqual([]);
    await use('2027-07-10T10:02:00Z', 10);
    expect(await run('2027-07-16T00:00:00Z')).toEqual([]);

    // Straight past 80 and 100 at once: both recorded, one notice (the highest).
    await use('2027-07-20T00:00:00Z', 45, 500);
    const second = await run('2027-07-21T00:00:00Z');
    expect(second.map((a) => [a.metric, a.threshold])).toEqual([
      ['REQUESTS', 100],
      ['UNITS', 50],
    ]);
    expect(await run('2027-07-22T00:00:00Z')).toEqual([]);
    const rows = await sql<{ metric: string; threshold: number; month: string }>(
      server,
      'select metric, threshold, month from usage_alert where organization_id = ? order by metric, threshold',
      [org.id],
    );
    expect(rows.map((r) => `${r.month} ${r.metric} ${r.threshold}`)).toEqual([
      '2027-07 REQUESTS 50',
      '2027-07 REQUESTS 80',
      '2027-07 REQUESTS 100',
      '2027-07 UNITS 50',
    ]);

    // In-app and by email, to each recipient once per alert.
    const notices = await sql<{ user_id: string; title: string; link: string }>(
      server,
      `select user_id, title, link from notification where kind = 'usage.threshold'
         and user_id = any(?::text[]) order by created_at, title`,
      [`{${admin!.id},${owner!.id},${bystander!.id}}`],
    );
    expect(notices.filter((n) => n.user_id === admin!.id).map((n) => n.title)).toEqual([
      expect.stringContaining('50 % of the monthly requests cap'),
      expect.stringContaining('monthly requests cap reached'),
      expect.stringContaining('50 % of the monthly units cap'),
    ]);
    expect(notices.filter((n) => n.user_id === bystander!.id)).toEqual([]);
    expect(notices[0]?.link).toBe(`/orgs/${org.id}/usage`);
    const mails = await sql<{ subject: string }>(
      server,
      `select subject from mail_message where "to" = ? and subject like '%cap%'`,
      [owner!.email],
    );
    expect(mails).toHaveLength(3);

    // A new month starts over.
    await use('2027-08-01T00:00:00Z', 50);
    const august = await run('2027-08-02T00:00:00Z');
    expect(august.map((a) => [a.metric, a.threshold])).toEqual([['REQUESTS', 50]]);
  });
});
