import { initOrm } from '../db/orm.js';
import { createApp } from '../app.js';
import { parseEnv } from '../env.js';
import { publishEvent } from './events.service.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PlatformRole, User } from '../modules/accounts/accounts.entity.js';

const url = 'postgres://postgres@127.0.0.1:5432/diag_events';
import pg from 'pg';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await admin.connect();
await admin.query('drop database if exists diag_events with (force)');
await admin.query('create database diag_events');
await admin.end();
const orm = await initOrm({ clientUrl: url });
await orm.schema.createSchema();
const app = await createApp({
  env: parseEnv({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'warn', WEB_DIST: '/x' }),
  orm,
});
const r = await fetch(`${app.url}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
  body: JSON.stringify({
    query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
    variables: {
      input: { email: 'd@example.com', name: 'D', password: 'correct horse battery staple' },
    },
  }),
});
const body = (await r.json()) as { data: { signUp: { user: { id: string } } } };
await orm.em
  .fork()
  .nativeUpdate(User, { id: body.data.signUp.user.id }, { platformRole: PlatformRole.STAFF });
const cookie = r.headers.getSetCookie()[0]!.split(';')[0]!;
class C extends WebSocket {
  constructor(a: string | URL, p?: string | string[]) {
    super(a, p, { headers: { cookie } });
  }
}
const N = Number(process.argv[2] ?? 200);
let got = 0;
const t: number[] = [];
for (let i = 0; i < N; i++) {
  const c = createClient({
    url: app.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: C,
    retryAttempts: 0,
  });
  c.subscribe(
    { query: 'subscription { reviewQueueEvents { id kind } }' },
    {
      next: (x) => {
        if (x.errors) console.log(x.errors);
        got++;
        t.push(Date.now());
      },
      error: (e) => console.log('err', e),
      complete: () => {},
    },
  );
}
while (app.services.events.subscriberCount < N) await new Promise((r) => setTimeout(r, 50));
console.log('subscribed');
let disp = 0;
app.services.events.subscribe('review_queue', () => {
  disp = Date.now();
});
const pgc = new pg.Client({ connectionString: url });
await pgc.connect();
await pgc.query('LISTEN portico_events');
let notif = 0;
pgc.on('notification', () => {
  notif = Date.now();
});
for (let k = 0; k < 25; k++) {
  got = 0;
  t.length = 0;
  const s = Date.now();
  await orm.em
    .fork()
    .transactional((em) =>
      publishEvent(em, { topic: 'review_queue', kind: 'x', subjectId: 'grt_x' }),
    );
  const c = Date.now();
  while (got < N && Date.now() - s < 5000) await new Promise((r) => setImmediate(r));
  console.log({
    notif: notif - c,
    disp: disp - c,
    commit: c - s,
    first: t[0]! - c,
    last: t[t.length - 1]! - c,
    got,
    delivered: app.services.events.stats.delivered,
  });
}
process.exit(0);
