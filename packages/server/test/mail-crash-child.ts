/**
 * A server process that dies at the worst moment for mail: it signs a user up (a change that
 * enqueues the verification mail) and is SIGKILLed as soon as that transaction has committed.
 * It never starts mail delivery, so the mail cannot have been sent before it died.
 *
 *   node --import @swc-node/register/esm-register test/mail-crash-child.ts <databaseUrl> <smtpUrl> <email>
 */
import 'reflect-metadata';
import { pino } from 'pino';
import { initOrm } from '../src/database.js';
import { parseEnv } from '../src/env.js';
import { createRateLimits } from '../src/limits/limits.js';
import { registerSignUp } from '../src/modules/accounts/accounts.service.js';

const [databaseUrl, smtpUrl, email] = process.argv.slice(2);
if (!databaseUrl || !smtpUrl || !email) {
  throw new Error('usage: mail-crash-child.ts <databaseUrl> <smtpUrl> <email>');
}

const env = parseEnv({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SMTP_URL: smtpUrl,
  PUBLIC_URL: 'http://portico.test',
});
const log = pino({ level: 'silent' });
const orm = await initOrm({ clientUrl: databaseUrl });
// The services of a server, not started: no LISTEN, and no mail delivery at all. The work of a
// sign-up (done after its answer) is awaited here, so the process dies right after its commit.
const limits = createRateLimits(env, log);
await registerSignUp(
  { orm, env, limits },
  { email, name: 'Crash Test', password: 'correct horse battery staple' },
);
// Committed. Die before anything else can happen.
process.kill(process.pid, 'SIGKILL');
