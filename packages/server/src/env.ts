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

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /**
     * What this instance serves: `all` (the portal, its API and the gateway endpoints) or
     * `gateway` (only /v1/verify, /v1/keys/verify, /v1/usage and the health checks, for
     * instances that take the gateways' traffic apart from the portal's; needs DATABASE_URL
     * and PUBLIC_URL, the portal's, whose origin issues the OAuth access tokens).
     */
    INSTANCE_ROLE: z.enum(['all', 'gateway']).default('all'),
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
    /**
     * Prepare the frequent reads under names (parsed and planned once per connection). Off for
     * a pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21,
     * or with max_prepared_statements = 0).
     */
    DATABASE_PREPARED_STATEMENTS: booleanString.default(true),
    /** Folder holding the embedded PostgreSQL data. */
    EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    /** Seed demo data into an empty database at start-up. */
    SEED_DEMO: booleanString.optional(),
    /**
     * Answer the live products' paths at the portal's own origin with the examples of their
     * published OpenAPI descriptions, behind the gateway's checks (a mock of the upstream APIs,
     * for the try-it console and the docs' curl commands). Default: on when the demo data is.
     */
    MOCK_UPSTREAM: booleanString.optional(),
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
    /**
     * Query cost budget per clock hour (see README, "Query cost"): per personal access token,
     * per session, per anonymous address.
     */
    COST_BUDGET_PER_TOKEN: z.coerce.number().int().min(1).default(5_000),
    COST_BUDGET_PER_SESSION: z.coerce.number().int().min(1).default(20_000),
    COST_BUDGET_PER_ADDRESS: z.coerce.number().int().min(1).default(2_000),
    /** Sign-in, sign-up and password-reset attempts per window: per email and per address. */
    AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    AUTH_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
    /** Unasked-for account mail (password reset, sign-up) sent to one address per hour at most. */
    ACCOUNT_MAIL_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
    /**
     * Key that encrypts webhook signing secrets at rest (AES-256-GCM): 32 bytes in base64 (e.g.
     * `openssl rand -base64 32`). Required in production; development and tests use a fixed key.
     */
    WEBHOOK_SECRET_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, {
        message: 'WEBHOOK_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32).',
      })
      .optional(),
    /**
     * Let webhook endpoints use http:// and private, loopback and CGNAT addresses (a receiver on
     * the same machine or network). Default: on in development and tests, off in production.
     */
    WEBHOOKS_ALLOW_PRIVATE_NETWORK: booleanString.optional(),
    /** The longest one webhook delivery attempt may take, connection included. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /**
     * Secret (32 characters or more) the OAuth signing keys' private parts are encrypted with
     * at rest (AES-256-GCM). Without it they are stored unencrypted (never logged nor exported).
     */
    OAUTH_KEY_SECRET: z.string().min(32).optional(),
    /** Lifetime of OAuth access tokens (JWTs), in seconds. */
    OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    GRAPHQL_INTROSPECTION: booleanString.optional(),
    /**
     * What a request signed in by the session cookie may run: `enforce` only the web app's
     * trusted documents (TRUSTED_DOCUMENTS_FILE), `off` any document. Personal access tokens
     * and requests signed in by nothing may always send their own.
     */
    TRUSTED_DOCUMENTS: z.enum(['enforce', 'off']).default('enforce'),
    /** The trusted documents, `{ "<sha256>": "<document>" }` (default: trusted-documents.json at the root). */
    TRUSTED_DOCUMENTS_FILE: z.string().optional(),
    /** Serve the built web app from this folder (defaults to packages/web/dist when present). */
    WEB_DIST: z.string().optional(),
    SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /**
     * Days each usage table keeps its rows (whole partitions are dropped): minutes at least 1
     * (gateways may report up to an hour less than this late, seven days at most), hours and
     * days 0 for forever. Hours must outlive minutes, and days hours.
     */
    USAGE_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).max(366).default(3),
    USAGE_HOUR_RETENTION_DAYS: z.coerce.number().int().min(0).max(3660).default(90),
    USAGE_DAY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36600).default(0),
  })
  .superRefine((env, ctx) => {
    if (env.INSTANCE_ROLE === 'gateway') {
      for (const name of ['DATABASE_URL', 'PUBLIC_URL'] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `A gateway instance (INSTANCE_ROLE=gateway) needs ${name}, the portal's.`,
          });
        }
      }
    }
    const hours = env.USAGE_HOUR_RETENTION_DAYS || Infinity;
    const days = env.USAGE_DAY_RETENTION_DAYS || Infinity;
    if (hours <= env.USAGE_MINUTE_RETENTION_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['USAGE_HOUR_RETENTION_DAYS'],
        message: 'Keep hours longer than minutes (USAGE_MINUTE_RETENTION_DAYS).',
      });
    }
    if (days < hours) {
      ctx.addIssue({
        code: 'custom',
        path: ['USAGE_DAY_RETENTION_DAYS'],
        message:
          'Keep days at least as long as hours (USAGE_HOUR_RETENTION_DAYS), or 0 for forever.',
      });
    }
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
