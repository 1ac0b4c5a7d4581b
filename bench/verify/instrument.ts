// What the benchmark asks the gateway of a Portico child over IPC (the portal instance,
// portico.ts, and the gateway instance, gateway-instance.ts): its statements by kind, the
// verifications that waited on the database, its CPU; a catalog reload; a clean stop.
import type { QueryResultRow } from 'pg';
import type { Gateway } from '../../packages/server/src/gateway/gateway.js';
import type { ServerReply, ServerRequest } from './protocol.js';

// What the gateway's statements are: the writes its timers make (usage every 0.5 s, last-used
// times, month totals every 5 s, the catalog every 30 s), credential loads (a miss, or the
// background refresh of a hit older than 30 s), and anything else.
const KINDS: readonly [string, RegExp][] = [
  ['usage flush', /^(with written as \( )?insert into usage_minute/],
  ['last-used times', /^update (credential|gateway_token) t set last_used_at/],
  ['month totals', /^select organization_id, product_id, sum\(requests\)/],
  [
    'catalog reload',
    /^select .* from (api_product|plan|plan_subscription|changelog_entry e left join product_catalogue)( |$)/,
  ],
  [
    'credential load',
    /^with c as \( select id, kind::text as kind, .* from credential where secret_hash = \$1 /,
  ],
];

/**
 * Counts `gateway`'s statements by kind and the verifications that waited on the database,
 * answers the benchmark's requests, and calls `stop` (then exits) when asked to stop.
 */
export function serveBenchRequests(gateway: Gateway, stop: () => Promise<void>): void {
  const send = (message: ServerReply): void => {
    process.send?.(message);
  };
  const byKind: Record<string, number> = {};
  const db = gateway.db;
  const sendQuery = db.query.bind(db);
  db.query = <R extends QueryResultRow>(
    sql: string,
    params?: unknown[],
    background?: boolean,
  ): Promise<R[]> => {
    const text = sql.trim().replace(/\s+/g, ' ').toLowerCase();
    const kind =
      KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? `other: ${text.slice(0, 100)}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    return sendQuery<R>(sql, params, background);
  };

  // A verification waits on the database exactly when the cache has no answer for its hash.
  let waited = 0;
  const cache = gateway.cache;
  const peek = cache.peek.bind(cache);
  cache.peek = (hash: string, now: number) => {
    const answer = peek(hash, now);
    if (answer === undefined) waited += 1;
    return answer;
  };

  process.on('message', (message: ServerRequest) => {
    if (message.type === 'stats') {
      const { user, system } = process.cpuUsage();
      send({
        type: 'stats',
        queries: gateway.db.queries + gateway.db.backgroundQueries,
        byKind: { ...byKind },
        waited,
        cpuMs: (user + system) / 1000,
      });
    } else if (message.type === 'reload') {
      // Rows the benchmark wrote through the ORM publish no event: reload the catalog now.
      void gateway.catalog.reload().then(() => send({ type: 'reloaded' }));
    } else if (message.type === 'stop') {
      void stop().then(() => {
        send({ type: 'stopped' });
        process.exit(0);
      });
    }
  });
  // Never outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
}
