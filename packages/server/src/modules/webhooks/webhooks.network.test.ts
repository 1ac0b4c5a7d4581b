import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../../test/webhook-builders.js';
import {
  classifyAddress,
  endpointUrlProblem,
  EXCERPT_CHARACTERS,
  postWebhook,
  systemResolve,
  type NetworkPolicy,
  type ResolvedAddress,
} from './webhooks.network.js';

const receiver = new WebhookReceiver();
beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
});

/** A resolver that answers every name with these addresses. */
const resolvesTo =
  (...addresses: string[]) =>
  async (): Promise<ResolvedAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const production = (resolve = resolvesTo('93.184.215.14')): NetworkPolicy => ({
  allowPrivate: false,
  resolve,
});
const development: NetworkPolicy = { allowPrivate: true, resolve: systemResolve };

describe('webhook addresses', () => {
  it.each([
    ['93.184.215.14', 'public'],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'public'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['not an address', 'forbidden'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['http://hooks.example.com/x', 'The URL must start with https://.'],
    [
      'https://10.0.0.8/x',
      'The URL leads to a private, loopback or shared address; webhooks go to public addresses only.',
    ],
    [
      'https://[::1]/x',
      'The URL leads to a private, loopback or shared address; webhooks go to public addresses only.',
    ],
    [
      'https://metadata.google.internal/x',
      'The URL must not point to a link-local, cloud metadata or unspecified address.',
    ],
  ])('production refuses %s', async (url, message) => {
    expect(await endpointUrlProblem(url, production())).toBe(message);
  });

  it('checks every address a host resolves to when the URL is saved', async () => {
    expect(await endpointUrlProblem('https://hooks.example.com/x', production())).toBeNull();
    expect(
      await endpointUrlProblem(
        'https://hooks.example.com/x',
        production(resolvesTo('93.184.215.14', '192.168.0.4')),
      ),
    ).toMatch(/private, loopback or shared address/);
    expect(
      await endpointUrlProblem(
        'https://hooks.example.com/x',
        production(resolvesTo('169.254.169.254')),
      ),
    ).toMatch(/never sent/);
    const unresolvable = production(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    expect(await endpointUrlProblem('https://nowhere.example/x', unresolvable)).toBe(
      'The host nowhere.example could not be resolved.',
    );
    // A deployment that allows its own networks (development, tests) takes loopback.
    expect(await endpointUrlProblem('http://localhost:8080/x', development)).toBeNull();
  });
});

describe('sending a webhook', () => {
  const request = (path: string) => ({
    url: receiver.url(path, 'localhost'),
    headers: { 'content-type': 'application/json' },
    body: '{"type":"webhook.test"}',
  });

  it('refuses a host that resolves to a private address unless allowed, before connecting', async () => {
    const before = receiver.received.length;
    const https = { ...request('/x'), url: `https://localhost:${receiver.port}/x` };
    expect(
      await postWebhook(https, { allowPrivate: false, resolve: systemResolve }, 2000),
    ).toMatchObject({
      status: null,
      error: 'blocked_address',
    });
    expect(await postWebhook(request('/x'), production(), 2000)).toMatchObject({
      error: 'insecure_url',
    });
    const rebound = { allowPrivate: true, resolve: resolvesTo('169.254.169.254') };
    expect(await postWebhook(request('/x'), rebound, 2000)).toMatchObject({
      error: 'blocked_address',
    });
    expect(receiver.received).toHaveLength(before);
  });

  it('connects to the address it checked, whatever the name resolves to next', async () => {
    let lookups = 0;
    const policy: NetworkPolicy = {
      allowPrivate: true,
      resolve: async () => {
        lookups += 1;
        return lookups === 1
          ? [{ address: '127.0.0.1', family: 4 }]
          : [{ address: '169.254.169.254', family: 4 }];
      },
    };
    const result = await postWebhook(
      { ...request('/pinned'), url: `http://hooks.example.test:${receiver.port}/pinned` },
      policy,
      2000,
    );
    expect(result).toMatchObject({ status: 200, error: null });
    expect(lookups).toBe(1);
    expect(receiver.received.at(-1)?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });

  it('does not follow redirects', async () => {
    const before = receiver.received.length;
    receiver.answerWith({ status: 302, headers: { location: 'http://169.254.169.254/' } });
    const result = await postWebhook(request('/redirect'), development, 2000);
    expect(result).toMatchObject({ status: 302, error: null });
    expect(receiver.received).toHaveLength(before + 1);
  });

  it('reads a bounded part of a large answer', async () => {
    receiver.answerWith({ status: 200, body: 'x'.repeat(2_000_000) });
    const result = await postWebhook(request('/large'), development, 5000);
    expect(result.status).toBe(200);
    expect(result.excerpt).toHaveLength(EXCERPT_CHARACTERS);
  });

  it('gives up on an answer that does not come', async () => {
    receiver.answerWith({ status: 200, hang: true });
    const result = await postWebhook(request('/slow'), development, 300);
    expect(result).toMatchObject({ status: null, error: 'timeout', excerpt: null });
  });

  it('reports a refused connection by its code', async () => {
    const result = await postWebhook(
      { ...request('/x'), url: 'http://127.0.0.1:9/x' },
      development,
      2000,
    );
    expect(result).toMatchObject({ status: null, error: 'ECONNREFUSED' });
  });
});
