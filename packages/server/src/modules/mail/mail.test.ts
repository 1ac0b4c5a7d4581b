import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { publicBaseUrl, publicLink } from './mail.service.js';

/** A server with no SMTP_URL: mail is kept in the outbox for staff. */
const server = useTestServer({ smtp: false });

const OUTBOX = `query ($first: Int, $after: String) {
  mailOutbox(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id to subject text createdAt } }
    nodes { id }
  }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on MailMessage { to subject } } }`;

interface Outbox {
  mailOutbox: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; to: string; subject: string; text: string } }[];
    nodes: { id: string }[];
  };
}

describe('mail outbox', () => {
  it('keeps mail for staff, newest first, page by page', async () => {
    const staff = await signUpUser(server, { staff: true });
    const first = await signUpUser(server);
    const second = await signUpUser(server);

    const page = await staff.client.ok<Outbox>(OUTBOX, { first: 2 });
    expect(page.mailOutbox.totalCount).toBe(3);
    expect(page.mailOutbox.edges.map((e) => e.node.to)).toEqual([second.email, first.email]);
    expect(page.mailOutbox.pageInfo.hasNextPage).toBe(true);
    const newest = page.mailOutbox.edges[0]?.node;
    expect(newest?.subject).toBe('Verify your email for Portico');
    expect(newest?.text).toMatch(/^http:\/\/portico\.test\/verify-email\?token=pte_\w+$/m);

    const rest = await staff.client.ok<Outbox>(OUTBOX, {
      first: 2,
      after: page.mailOutbox.pageInfo.endCursor,
    });
    expect(rest.mailOutbox.nodes).toHaveLength(1);
    expect(rest.mailOutbox.edges[0]?.node.to).toBe(staff.email);
    expect(rest.mailOutbox.pageInfo.hasNextPage).toBe(false);

    // Nothing went over SMTP.
    expect(server.mail.messages).toHaveLength(0);

    const id = newest?.id ?? '';
    const found = await staff.client.ok<{ node: { to: string } | null }>(NODE, { id });
    expect(found.node).toEqual({ id, to: second.email, subject: 'Verify your email for Portico' });
    const hidden = await first.client.ok<{ node: null }>(NODE, { id });
    expect(hidden.node).toBeNull();
  });

  it('is refused to developers and to anonymous callers', async () => {
    const developer = await signUpUser(server);
    const refused = await developer.client.fails(OUTBOX, { first: 10 });
    expect(refused.code).toBe('FORBIDDEN');
    const anonymous = await server.client().fails(OUTBOX, { first: 10 });
    expect(anonymous.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a bad page size or cursor', async () => {
    const staff = await signUpUser(server, { staff: true });
    const tooMany = await staff.client.fails(OUTBOX, { first: 101 });
    expect(tooMany).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await staff.client.fails(OUTBOX, { first: 10, after: 'nonsense' });
    expect(badCursor).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('links in mail', () => {
  it('use PUBLIC_URL, or the server address when it is unset', () => {
    const env = { HOST: '127.0.0.1', PORT: 4000, PUBLIC_URL: undefined };
    expect(publicBaseUrl(env)).toBe('http://127.0.0.1:4000');
    expect(
      publicLink({ env: { ...env, PUBLIC_URL: 'https://dev.example.com/portal/' } }, '/x'),
    ).toBe('https://dev.example.com/portal/x');
    expect(publicLink({ env: server.app.services.env }, '/verify-email', { token: 'a b' })).toBe(
      'http://portico.test/verify-email?token=a+b',
    );
  });
});
