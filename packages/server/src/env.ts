import { z } from 'zod';
import { parseOrigin } from './auth/origins.js';

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A comma-separated list of origins, e.g. `https://a.example.com, https://b.example.com:8443`. */
const originList = z.string().transform((text, ctx) => {
  const origins: string[] = [];
  for (const item of text.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const origin = parseOrigin(item);
    if (!origin) {
      ctx.addIssue({
        code: 'custom',
        message: `${item} is not an origin: give scheme, host and port only, like https://portal.example.com`,
      });
      return z.NEVER;
    }
    origins.push(origin);
  }
  return origins;
});

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Public URL of the web app, used in links sent by email. */
  PUBLIC_URL: z.url().optional(),
  /**
   * Origins whose pages may open the GraphQL WebSocket besides the portal's own (its public
   * URL, the address it listens on, the host a request was sent to). Comma-separated.
   */
  ALLOWED_ORIGINS: originList.default([]),
  /** PostgreSQL connection string; without it an embedded PostgreSQL is started. */
  DATABASE_URL: z.string().optional(),
  /** Folder holding the embedded PostgreSQL data. */
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Seed demo data into an empty database at start-up. */
  SEED_DEMO: booleanString.optional(),
  /** SMTP URL for outgoing mail (smtp://user:pass@host:port); without it mail goes to the outbox. */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Portico <no-reply@portico.local>'),
  /** Sending attempts of one mail before it is marked FAILED. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Wait before the first retry of a mail that could not be sent; doubles, up to an hour. */
  MAIL_RETRY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /**
   * PostgreSQL URL for the live-events LISTEN connection, when DATABASE_URL goes through a
   * transaction pooler (LISTEN needs a session of its own). Defaults to the ORM's database.
   */
  EVENTS_DATABASE_URL: z.string().optional(),
  /** Redis shared by every instance for rate-limit counters (gateway and API); else per instance. */
  REDIS_URL: z.string().optional(),
  /** Prefix of the API and sign-in rate-limit keys in Redis (several deployments, one Redis). */
  RATE_LIMIT_REDIS_PREFIX: z.string().min(1).default('portico:limits:'),
  /** GraphQL operations per window: per session, per personal access token, per anonymous address. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_PER_SESSION: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(300),
  /** Sign-in, sign-up and password-reset attempts per window: per email and per address. */
  AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  AUTH_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  /** Unasked-for account mail (password reset, sign-up) sent to one address per hour at most. */
  ACCOUNT_MAIL_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_INTROSPECTION: booleanString.optional(),
  /** Serve the built web app from this folder (defaults to packages/web/dist when present). */
  WEB_DIST: z.string().optional(),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * Secret (32 characters or more) the OAuth signing keys' private parts are encrypted with
   * at rest (AES-256-GCM). Without it they are stored unencrypted (never logged nor exported).
   */
  OAUTH_KEY_SECRET: z.string().min(32).optional(),
  /** Lifetime of OAuth access tokens (JWTs), in seconds. */
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid environment: ${details}`);
  }
  return result.data;
}
