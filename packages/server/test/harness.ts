import { afterAll, beforeAll, inject } from 'vitest';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp, type PorticoApp } from '../src/app.js';
import { initOrm } from '../src/database.js';
import { parseEnv } from '../src/env.js';
import { capturedLogger, rememberSecret, rememberSecretsIn } from './log-capture.js';

export interface ReceivedMail {
  to: string[];
  raw: string;
  subject: string;
  /** The text body, with quoted-printable soft breaks undone. */
  text: string;
}

/** A real SMTP server that keeps what it receives, for tests to read. */
export class MailCatcher {
  readonly messages: ReceivedMail[] = [];
  /** How many messages were refused (see `refuse`). */
  refused = 0;
  private refusals = { left: 0, responseCode: 451 };
  private waiters: (() => void)[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (this.refusals.left > 0) {
          this.refusals.left -= 1;
          this.refused += 1;
          const error = Object.assign(new Error('Refused by the test'), {
            responseCode: this.refusals.responseCode,
          });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        // The tokens of mailed links (sign-up, reset, invitation) must not reach a log either.
        rememberSecretsIn(raw);
        this.messages.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          subject: /^Subject: (.*)$/im.exec(raw)?.[1]?.trim() ?? '',
          text: decodeBody(raw),
        });
        for (const wake of this.waiters.splice(0)) wake();
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /**
   * Refuses the next `count` messages at the end of DATA with `responseCode` (4xx: try again
   * later; 5xx: rejected), then accepts again. `refuse(0)` accepts from now on.
   */
  refuse(count: number, responseCode = 451): void {
    this.refusals = { left: count, responseCode };
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls.rejectUnauthorized=false&ignoreTLS=true`;
  }

  /** Waits for a message to `to` whose subject matches. */
  async waitFor(to: string, subject: RegExp, timeoutMs = 5000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(
        (m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject),
      );
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
        throw new Error(`No mail to ${to} matching ${subject}. Received:\n  ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function decodeBody(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The first link in a mail whose path starts with `pathPrefix`. */
export function linkIn(mail: ReceivedMail, pathPrefix: string): URL {
  const match = mail.text
    .match(/https?:\/\/[^\s"<>]+/g)
    ?.find((href) => new URL(href).pathname.startsWith(pathPrefix));
  if (!match) throw new Error(`No ${pathPrefix} link in mail:\n${mail.text}`);
  return new URL(match);
}

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

type Operation = string | DocumentNode;

/** A GraphQL client with its own cookie jar (a browser) or bearer token (an API caller). */
export class TestClient {
  private cookies = new Map<string, string>();
  bearer: string | null = null;

  constructor(readonly server: TestServer) {}

  async execute<TData = Record<string, unknown>>(
    operation: Operation,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<TData>> {
    const query = typeof operation === 'string' ? operation : print(operation);
    return (await this.post<TData>({ query, variables })).result;
  }

  /**
   * Runs a trusted document by its hash alone (`extensions.persistedQuery`), as the web app
   * does; with `query`, the document is sent along.
   */
  async executePersisted<TData = Record<string, unknown>>(
    sha256Hash: string,
    variables: Record<string, unknown> = {},
    query?: string,
  ): Promise<{ status: number; result: GraphQLResponse<TData> }> {
    return this.post<TData>({
      ...(query === undefined ? {} : { query }),
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    });
  }

  /** POSTs a GraphQL request body with this client's cookies and token; the status and answer. */
  async post<TData = Record<string, unknown>>(
    body: { variables?: Record<string, unknown> } & Record<string, unknown>,
  ): Promise<{ status: number; result: GraphQLResponse<TData> }> {
    const variables = body.variables ?? {};
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
    };
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    rememberSecretsIn(variables);
    const response = await fetch(`${this.server.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (!name) continue;
      const value = rest.join('=');
      rememberSecret(value);
      if (/max-age=0/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const result = (await response.json()) as GraphQLResponse<TData>;
    rememberSecretsIn(result);
    return { status: response.status, result };
  }

  /** Executes and returns `data`, failing with the operation and response printed on errors. */
  async ok<TData = Record<string, unknown>>(
    operation: Operation,
    variables: Record<string, unknown> = {},
  ): Promise<TData> {
    const result = await this.execute<TData>(operation, variables);
    if (result.errors?.length || !result.data) {
      const query = typeof operation === 'string' ? operation : print(operation);
      throw new Error(
        `GraphQL operation failed:\n${query}\nvariables: ${JSON.stringify(variables)}\nresponse: ${JSON.stringify(result, null, 2)}`,
      );
    }
    return result.data;
  }

  /** Executes, expects exactly one error, and returns its code and field. */
  async fails(
    operation: Operation,
    variables: Record<string, unknown> = {},
  ): Promise<{ code: string | undefined; field: string | undefined; message: string }> {
    const result = await this.execute(operation, variables);
    const error = result.errors?.[0];
    if (!error) {
      throw new Error(`Expected an error, got: ${JSON.stringify(result, null, 2)}`);
    }
    return { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
  }

  /**
   * Another client with this one's cookies and token, like a second tab: cookies the server
   * sets or clears for it stay in it.
   */
  clone(): TestClient {
    const copy = new TestClient(this.server);
    copy.cookies = new Map(this.cookies);
    copy.bearer = this.bearer;
    return copy;
  }

  get hasSession(): boolean {
    return this.cookies.size > 0;
  }

  /** The `Cookie` header a browser would send (for WebSocket upgrades). */
  get cookieHeader(): string | undefined {
    if (!this.cookies.size) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface TestServer {
  url: string;
  /** The database of this server (shared by `startSecondInstance`). */
  databaseUrl: string;
  app: PorticoApp;
  orm: MikroORM;
  mail: MailCatcher;
  /** SQL statements run since the counter was last reset. */
  queries: string[];
  client(): TestClient;
  close(): Promise<void>;
}

let databaseCounter = 0;

export interface TestServerOptions {
  /** false: no SMTP_URL, so the server keeps mail in its outbox (the catcher still runs, idle). */
  smtp?: boolean;
  /** More environment variables for the server (e.g. REDIS_URL). */
  env?: Record<string, string>;
  /**
   * Refuse documents other than the web app's with the session cookie, as production does
   * (TRUSTED_DOCUMENTS=enforce). Off by default: tests send documents of their own.
   */
  trustedDocuments?: boolean;
}

/**
 * A database of its own, cloned from the migrated template, or `empty` (no tables: for what
 * must migrate it); dropped at the end of the run.
 */
export async function createTestDatabase({ empty = false } = {}): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('templateDatabase');
  const database = `${template}_${process.pid}_${++databaseCounter}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${database}" template "${empty ? 'template0' : template}"`);
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${database}`;
  return dbUrl.toString();
}

/** A real server on a database of its own (cloned from the migrated template) and a real SMTP server. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const databaseUrl = await createTestDatabase();
  const mail = new MailCatcher();
  await mail.start();
  return startInstance(databaseUrl, mail, options, async () => {
    await mail.stop();
  });
}

/**
 * A server on a database and mail catcher that already exist (e.g. what a killed process left
 * behind). Its `close()` leaves both to the caller.
 */
export async function startTestServerOn(
  databaseUrl: string,
  mail: MailCatcher,
  options: TestServerOptions = {},
): Promise<TestServer> {
  return startInstance(databaseUrl, mail, options, async () => undefined);
}

/**
 * Another server instance on the same database as `server` (its own ORM, pool, HTTP and
 * WebSocket server, and events listener): what two replicas behind a load balancer share.
 * Its `close()` leaves the database and the mail catcher to `server`.
 */
export async function startSecondInstance(
  server: TestServer,
  options: TestServerOptions = {},
): Promise<TestServer> {
  return startInstance(server.databaseUrl, server.mail, options, async () => undefined);
}

async function startInstance(
  databaseUrl: string,
  mail: MailCatcher,
  options: TestServerOptions,
  onClose: () => Promise<void>,
): Promise<TestServer> {
  const queries: string[] = [];
  const orm = await initOrm({
    clientUrl: databaseUrl,
    onQuery: (sql) => {
      queries.push(sql);
    },
  });
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(options.smtp === false ? {} : { SMTP_URL: mail.url }),
    PUBLIC_URL: 'http://portico.test',
    WEB_DIST: '/nonexistent',
    // Every test calls from 127.0.0.1, so the limits per address and per caller are out of the
    // way here (limits.test.ts sets its own); the per-email limits stay as configured.
    RATE_LIMIT_PER_SESSION: '1000000',
    RATE_LIMIT_PER_TOKEN: '1000000',
    RATE_LIMIT_PER_ADDRESS: '1000000',
    AUTH_RATE_LIMIT_PER_ADDRESS: '1000000',
    // The tests send documents of their own with the session cookie, which a server in
    // production or development refuses (only the web app's trusted documents run there);
    // trusted-documents.test.ts and the browser journeys run with the default, `enforce`.
    TRUSTED_DOCUMENTS: options.trustedDocuments ? 'enforce' : 'off',
    ...options.env,
  });
  // Every line, at every level, goes to the run's log folder: the run fails if a secret does.
  const app = await createApp({ env, orm, log: capturedLogger() });
  const server: TestServer = {
    url: app.url,
    databaseUrl,
    app,
    orm,
    mail,
    queries,
    client: () => new TestClient(server),
    async close() {
      await app.close();
      await orm.close(true);
      await onClose();
    },
  };
  return server;
}

/**
 * A test server for the calling test file: started before its first test, closed after its
 * last. Call at the top level of the file; the handle forwards to the running server, so use it
 * inside hooks and tests.
 */
export function useTestServer(options: TestServerOptions = {}): TestServer {
  let started: TestServer | undefined;
  const running = (): TestServer => {
    if (!started) throw new Error('The test server is not running: use it inside a hook or test.');
    return started;
  };
  beforeAll(async () => {
    started = await startTestServer(options);
  });
  afterAll(async () => {
    await running().close();
  });
  return {
    get url() {
      return running().url;
    },
    get app() {
      return running().app;
    },
    get orm() {
      return running().orm;
    },
    get mail() {
      return running().mail;
    },
    get queries() {
      return running().queries;
    },
    client: () => running().client(),
    get databaseUrl() {
      return running().databaseUrl;
    },
    close: () => running().close(),
  };
}

/** A GraphQL subscription over graphql-ws, collecting what it receives. */
export interface LiveSubscription<TData> {
  /** Every `data` received, in order. */
  readonly received: TData[];
  /** The errors the subscription ended with, if it did. */
  readonly errors: readonly GraphQLFormattedError[] | null;
  /** Waits until `count` payloads were received in all and returns them. */
  waitFor(count: number, timeoutMs?: number): Promise<TData[]>;
  /** Waits for the subscription to fail and returns the errors (fails if data arrives). */
  failure(timeoutMs?: number): Promise<readonly GraphQLFormattedError[]>;
  /** Waits for the server to complete the subscription (after its errors, if any). */
  completion(timeoutMs?: number): Promise<void>;
  /** Waits for the WebSocket to close and returns its close code and reason. */
  socketClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  /** Closes the WebSocket (as a browser tab that goes away). */
  close(): Promise<void>;
}

/**
 * Subscribes over graphql-ws to `server` with `client`'s session cookie (or bearer token),
 * and resolves once the server's event bus holds the subscription (or it failed), so that
 * events published afterwards are sure to reach it.
 */
export async function subscribe<TData = Record<string, unknown>>(
  server: TestServer,
  client: TestClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<LiveSubscription<TData>> {
  const headers: Record<string, string> = {};
  const cookie = client.cookieHeader;
  if (cookie) headers.cookie = cookie;
  if (client.bearer) headers.authorization = `Bearer ${client.bearer}`;
  class AuthenticatedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const ws: WsClient = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: AuthenticatedWebSocket,
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event: unknown) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith = { code, reason: String(reason) };
        changed();
      },
    },
  });
  const received: TData[] = [];
  let errors: readonly GraphQLFormattedError[] | null = null;
  let completed = false;
  let closedWith: { code: number; reason: string } | null = null;
  let wake: (() => void) | null = null;
  const changed = (): void => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const bus = server.app.services.events;
  const before = bus.stats.subscriptions;
  ws.subscribe<TData>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors?.length) errors = result.errors;
        else if (result.data) received.push(result.data);
        changed();
      },
      error: (err: unknown) => {
        const closed =
          typeof err === 'object' && err !== null && 'code' in err
            ? `WebSocket closed: ${String(err.code)} ${'reason' in err ? String(err.reason) : ''}`
            : null;
        errors = Array.isArray(err)
          ? (err as GraphQLFormattedError[])
          : [{ message: closed ?? (err instanceof Error ? err.message : String(err)) }];
        changed();
      },
      complete: () => {
        completed = true;
        changed();
      },
    },
  );

  const until = async (done: () => boolean, timeoutMs: number, what: string): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 20));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  await until(
    () => errors !== null || completed || bus.stats.subscriptions > before,
    5_000,
    `the subscription to reach the server: ${query}`,
  );

  return {
    received,
    get errors() {
      return errors;
    },
    async waitFor(count, timeoutMs = 5_000) {
      await until(
        () => received.length >= count || errors !== null || completed,
        timeoutMs,
        `${count} event(s) (got ${received.length}: ${JSON.stringify(received)})`,
      );
      if (received.length < count) {
        throw new Error(
          `Subscription ended after ${received.length} event(s): ${JSON.stringify(errors)}`,
        );
      }
      return received.slice(0, count);
    },
    async failure(timeoutMs = 5_000) {
      await until(() => errors !== null || completed, timeoutMs, 'the subscription to fail');
      if (!errors) throw new Error(`Subscription completed without errors`);
      if (received.length) throw new Error(`Subscription sent data: ${JSON.stringify(received)}`);
      return errors;
    },
    async completion(timeoutMs = 5_000) {
      await until(() => completed, timeoutMs, 'the subscription to complete');
    },
    async socketClosed(timeoutMs = 5_000) {
      await until(() => closedWith !== null, timeoutMs, 'the WebSocket to close');
      if (!closedWith) throw new Error('The WebSocket did not close');
      return closedWith;
    },
    async close() {
      await ws.dispose();
    },
  };
}
