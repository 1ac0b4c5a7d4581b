import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { gatewayProduct, grantedApp } from '../../../test/gateway-builders.js';
import {
  CREATE_ENTRY,
  openApiYaml,
  saveDocument,
  SET_CATALOGUE,
} from '../../../test/catalogue-builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import { Notification } from '../notifications/notifications.entity.js';
import { ApprovalMode } from '../products/products.entity.js';
import { sendSunsetReminders } from './catalogue.changelog.js';

const server = useTestServer();

const SEND = `mutation ($input: SendLabsFeedbackInput!) {
  sendLabsFeedback(input: $input) { feedback { id rating text status endpointMethod endpointPath } }
}`;
const ANSWER = `mutation ($input: AnswerLabsFeedbackInput!) {
  answerLabsFeedback(input: $input) { feedback { id status answer answeredAt closedAt } }
}`;
const CLOSE = `mutation ($input: CloseLabsFeedbackInput!) {
  closeLabsFeedback(input: $input) { feedback { id status closedAt } }
}`;
const FEEDBACK = `query ($productId: ID) { labsFeedback(productId: $productId) { id text authorName authorEmail status } }`;
const SEARCH = `query ($query: String!, $productId: ID) {
  searchCatalogue(query: $query, productId: $productId) { kind title snippet product { slug } endpoint { method path } document { slug } }
}`;

interface SearchHits {
  searchCatalogue: {
    kind: string;
    title: string;
    snippet: string;
    product: { slug: string };
    endpoint: { method: string; path: string } | null;
    document: { slug: string } | null;
  }[];
}

describe('Labs', () => {
  it('lists Labs products, approves requests at once, and collects feedback staff answer and close', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server, { approvalMode: ApprovalMode.MANUAL });
    const marked = await staff.client.ok<{
      updateProductCatalogue: { product: { labs: boolean; approvalMode: string } };
    }>(SET_CATALOGUE, { input: { productId: product.id, labs: true } });
    expect(marked.updateProductCatalogue.product).toMatchObject({
      labs: true,
      approvalMode: 'AUTO',
    });
    expect((await auditEntriesFor(server, product.id)).map((a) => a.action)).toContain(
      'catalogue.settings.update',
    );

    const developer = await signUpUser(server);
    const labs = await developer.client.ok<{ labsProducts: { id: string }[] }>(
      `{ labsProducts { id } }`,
    );
    expect(labs.labsProducts.map((p) => p.id)).toContain(product.id);
    // Any approved developer's app is granted it at once.
    await grantedApp(server, [product]);

    const sent = await developer.client.ok<{
      sendLabsFeedback: { feedback: { id: string; status: string; endpointMethod: string } };
    }>(SEND, {
      input: {
        productId: product.id,
        rating: 4,
        text: 'Nice, but slow.',
        endpointMethod: 'get',
        endpointPath: '/items',
      },
    });
    const feedback = sent.sendLabsFeedback.feedback;
    expect(feedback).toMatchObject({ status: 'OPEN', endpointMethod: 'GET' });
    expect(
      await developer.client.fails(SEND, {
        input: { productId: product.id, rating: 6, text: 'x' },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rating' });
    const notLabs = await gatewayProduct(server);
    expect(
      await developer.client.fails(SEND, {
        input: { productId: notLabs.id, rating: 3, text: 'x' },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'productId' });

    const other = await signUpUser(server);
    const othersView = await other.client.ok<{ labsFeedback: unknown[] }>(FEEDBACK, {
      productId: product.id,
    });
    expect(othersView.labsFeedback).toEqual([]);
    const staffView = await staff.client.ok<{
      labsFeedback: { id: string; authorEmail: string | null }[];
    }>(FEEDBACK, { productId: product.id });
    expect(staffView.labsFeedback).toEqual([
      expect.objectContaining({ id: feedback.id, authorEmail: developer.email }),
    ]);
    expect(
      (await developer.client.fails(ANSWER, { input: { feedbackId: feedback.id, answer: 'x' } }))
        .code,
    ).toBe('FORBIDDEN');

    const answered = await staff.client.ok<{
      answerLabsFeedback: { feedback: { status: string; answer: string } };
    }>(ANSWER, { input: { feedbackId: feedback.id, answer: 'We are on it.' } });
    expect(answered.answerLabsFeedback.feedback).toMatchObject({
      status: 'ANSWERED',
      answer: 'We are on it.',
    });
    const told = await server.orm.em
      .fork()
      .find(Notification, { user: developer.id, kind: 'catalogue.feedback.answered' });
    expect(told).toHaveLength(1);
    // The Labs page, where developers read the answers to their feedback.
    expect(told[0]?.link).toBe('/labs');
    const closed = await staff.client.ok<{ closeLabsFeedback: { feedback: { status: string } } }>(
      CLOSE,
      { input: { feedbackId: feedback.id } },
    );
    expect(closed.closeLabsFeedback.feedback.status).toBe('CLOSED');
    expect((await staff.client.fails(CLOSE, { input: { feedbackId: feedback.id } })).code).toBe(
      'CONFLICT',
    );
  });
});

describe('search', () => {
  it('finds published guides and endpoints, respecting who may read them', async () => {
    const staff = await signUpUser(server, { staff: true });
    const open = await gatewayProduct(server);
    const closed = await gatewayProduct(server);
    const word = `zebrafish${Date.now().toString(36)}`;
    await saveDocument(staff.client, {
      productId: open.id,
      kind: 'GUIDE',
      title: 'Pagination',
      source: `How to page through ${word} results with cursors.`,
    });
    await saveDocument(staff.client, {
      productId: open.id,
      kind: 'GUIDE',
      title: 'Unpublished',
      source: `A draft about ${word}.`,
      publish: false,
    });
    await saveDocument(staff.client, {
      productId: closed.id,
      kind: 'GUIDE',
      title: 'Private',
      source: `Private notes about ${word}.`,
    });
    await saveDocument(staff.client, {
      productId: open.id,
      kind: 'OPENAPI',
      title: 'API',
      source: openApiYaml(open.prefix).replace('Supports pagination.', `Lists ${word} too.`),
    });
    await staff.client.ok(SET_CATALOGUE, { input: { productId: open.id, docsPublic: true } });

    const developer = await signUpUser(server);
    const signedIn = await developer.client.ok<SearchHits>(SEARCH, { query: word });
    expect(signedIn.searchCatalogue.map((h) => [h.kind, h.product.slug, h.title]).sort()).toEqual(
      [
        ['ENDPOINT', open.slug, 'GET /items'],
        ['GUIDE', closed.slug, 'Private'],
        ['GUIDE', open.slug, 'Pagination'],
      ].sort(),
    );
    const anonymous = await server.client().ok<SearchHits>(SEARCH, { query: word });
    expect(anonymous.searchCatalogue.map((h) => h.product.slug)).not.toContain(closed.slug);
    expect(anonymous.searchCatalogue).toHaveLength(2);
    const guide = anonymous.searchCatalogue.find((h) => h.kind === 'GUIDE');
    expect(guide?.snippet).toContain(word);
    expect(guide?.document?.slug).toBe('pagination');

    const phrase = await developer.client.ok<SearchHits>(SEARCH, {
      query: `"page through" -cursorless`,
      productId: open.id,
    });
    expect(phrase.searchCatalogue.map((h) => h.title)).toEqual(['Pagination']);
    expect((await developer.client.fails(SEARCH, { query: '  ' })).field).toBe('query');
  });
});

describe('changelog feed and sunset reminders', () => {
  it('serves the changelog of a public product as Atom and RSS, and nothing for others', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server);
    await staff.client.ok(CREATE_ENTRY, {
      input: {
        productId: product.id,
        kind: 'NEW',
        title: 'Bulk lookups',
        body: 'Look up <script>x()</script> **many** items at once.',
        publish: true,
      },
    });
    const hidden = await fetch(`${server.url}/feeds/products/${product.slug}/changelog.atom`);
    expect(hidden.status).toBe(404);
    await staff.client.ok(SET_CATALOGUE, { input: { productId: product.id, docsPublic: true } });
    const atom = await fetch(`${server.url}/feeds/products/${product.slug}/changelog.atom`);
    expect(atom.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const text = await atom.text();
    expect(text).toContain('[NEW] Bulk lookups');
    expect(text).not.toContain('<script>');
    // Links lead to the product's changelog in the web app.
    expect(text).toContain(`/docs/${product.slug}?tab=changelog`);
    const rss = await fetch(`${server.url}/feeds/products/${product.slug}/changelog.rss`);
    expect(await rss.text()).toContain('<rss');
  });

  it('reminds the owners once before a sunset', async () => {
    const staff = await signUpUser(server, { staff: true });
    const product = await gatewayProduct(server);
    const granted = await grantedApp(server, [product]);
    const owner = granted.org.admins[0]!;
    await staff.client.ok(CREATE_ENTRY, {
      input: {
        productId: product.id,
        kind: 'DEPRECATED',
        title: 'Going away',
        sunsetAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        publish: true,
      },
    });
    const services = server.app.services;
    const first = await sendSunsetReminders(server.orm.em.fork(), new Date(), services);
    const second = await sendSunsetReminders(server.orm.em.fork(), new Date(), services);
    const reminders = await server.orm.em
      .fork()
      .find(Notification, { user: owner.id, kind: 'catalogue.sunset' });
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.link).toBe(`/docs/${product.slug}?tab=changelog`);
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(second).toEqual([]);
  });
});
