import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../modules/accounts/accounts.entity.js';
import {
  ChangelogEntry,
  ChangelogKind,
  DocumentKind,
  DocumentRevision,
  FeedbackStatus,
  LabsFeedback,
  ProductCatalogue,
  ProductDocument,
} from '../modules/catalogue/catalogue.entity.js';
import { endpointRows } from '../modules/catalogue/catalogue.documents.js';
import { parseOpenApi } from '../modules/catalogue/catalogue.openapi.js';
import { ApiProduct, ApprovalMode } from '../modules/products/products.entity.js';

const DAY = 86_400_000;
const ago = (ms: number): Date => new Date(Date.now() - ms);
const from = (ms: number): Date => new Date(Date.now() + ms);

export interface CatalogueDemo {
  /** The origin of the demo APIs, e.g. `http://localhost:4000`. */
  apiOrigin: string;
  staff: User;
  developers: User[];
  products: { publicPosts: ApiProduct; directMessages: ApiProduct; enterpriseSearch: ApiProduct };
}

const POSTS_OVERVIEW = (origin: string): string => `# Public Posts API

Read public posts and the profiles of the people who wrote them: look posts up by id, read a
user's timeline, and publish posts on behalf of your app's account.

- **Base URL:** \`${origin}/2\`
- **Authentication:** send your app's bearer token or API secret in \`Authorization: Bearer\`.
- **Permissions:** reading needs the *Read* level; publishing and deleting need *Read and write*.

Rate limits and monthly caps depend on your organization's plan (see *Plans* on this page).`;

const POSTS_QUICK_START = (origin: string): string => `# Quick start

1. Create an app in a project and request **Public Posts API** for it (approved at once).
2. Open the app's **Keys** tab and create a bearer token. Copy it: it is shown once.
3. Call the API:

\`\`\`bash
curl '${origin}/2/tweets/1460323737035677698' \\
  -H 'Authorization: Bearer YOUR_API_TOKEN'
\`\`\`

You get the post as JSON. Try the other endpoints from the **Try it** panel of each endpoint:
it mints a short-lived token for one of your apps, so no secret is pasted anywhere.`;

const POSTS_MIGRATION = `# Migrating from the user timeline endpoint

\`GET /users/{id}/timeline\` is **deprecated** and stops working at its sunset date (see the
changelog). Use \`GET /users/{id}/tweets\` instead:

| Before | After |
| --- | --- |
| \`GET /users/{id}/timeline?count=20\` | \`GET /users/{id}/tweets?max_results=20\` |
| \`since\` (date) | \`since_id\` (post id) |

Responses have the same shape, wrapped in \`data\`. Requests to the old endpoint carry the
\`Deprecation\` and \`Sunset\` headers until then.`;

const POSTS_OPENAPI = (origin: string): string => `openapi: 3.0.3
info:
  title: Public Posts API
  version: 2.1.0
servers:
  - url: ${origin}/2
paths:
  /tweets:
    post:
      operationId: createPost
      summary: Publish a post
      description: Publishes a post as the app's account.
      tags: [posts]
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewPost' }
            example: { text: 'Hello from the Public Posts API' }
      responses:
        '201':
          description: The post was published.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/PostResponse' }
              example: { data: { id: '1460323737035677698', text: 'Hello from the Public Posts API' } }
        '403':
          description: The app's permission level does not allow writing.
  /tweets/{id}:
    get:
      operationId: getPost
      summary: Look a post up by id
      description: Returns one public post with its author's id.
      tags: [posts]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string, pattern: '^[0-9]{1,19}$' }
          example: '1460323737035677698'
      responses:
        '200':
          description: The post.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/PostResponse' }
              example: { data: { id: '1460323737035677698', text: 'Hello world', author_id: '2244994945' } }
        '404':
          description: No such post.
    delete:
      operationId: deletePost
      summary: Delete a post
      tags: [posts]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: '1460323737035677698'
      responses:
        '200':
          description: Deleted.
          content:
            application/json:
              example: { data: { deleted: true } }
  /users/{id}:
    get:
      operationId: getUser
      summary: Look a user up by id
      tags: [users]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: '2244994945'
      responses:
        '200':
          description: The user.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/UserResponse' }
              example: { data: { id: '2244994945', name: 'Portico Dev', username: 'porticodev' } }
  /users/{id}/tweets:
    get:
      operationId: getUserPosts
      summary: A user's posts, newest first
      tags: [users, posts]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: '2244994945'
        - name: max_results
          in: query
          schema: { type: integer, minimum: 5, maximum: 100, default: 10 }
          example: 10
      responses:
        '200':
          description: The posts.
          content:
            application/json:
              example: { data: [{ id: '1460323737035677698', text: 'Hello world' }] }
  /users/{id}/timeline:
    get:
      operationId: getUserTimeline
      summary: A user's timeline (deprecated)
      description: Deprecated; use \`GET /users/{id}/tweets\`.
      deprecated: true
      tags: [users]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: '2244994945'
        - name: count
          in: query
          schema: { type: integer }
      responses:
        '200':
          description: The posts.
          content:
            application/json:
              example: [{ id: '1460323737035677698', text: 'Hello world' }]
components:
  schemas:
    NewPost:
      type: object
      required: [text]
      properties:
        text: { type: string, maxLength: 280 }
    Post:
      type: object
      properties:
        id: { type: string }
        text: { type: string }
        author_id: { type: string }
    PostResponse:
      type: object
      properties:
        data: { $ref: '#/components/schemas/Post' }
    UserResponse:
      type: object
      properties:
        data:
          type: object
          properties:
            id: { type: string }
            name: { type: string }
            username: { type: string }
`;

const DM_OVERVIEW = `# Direct Messages API

Read and send direct messages on behalf of users who authorize your app. Every endpoint needs
the **Read, write and direct messages** permission level, and apps must sit in a project.`;

const DM_OPENAPI = (origin: string): string => `openapi: 3.0.3
info:
  title: Direct Messages API
  version: 2.0.0
servers:
  - url: ${origin}/2
paths:
  /dm_conversations/{id}/dm_events:
    get:
      operationId: listMessages
      summary: Messages of a conversation
      tags: [messages]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: '1582103724607971328'
      responses:
        '200':
          description: The messages, newest first.
          content:
            application/json:
              example: { data: [{ id: '1582103724607971329', text: 'Hi!', event_type: MessageCreate }] }
  /dm_conversations/{id}/messages:
    post:
      operationId: sendMessage
      summary: Send a message to a conversation
      tags: [messages]
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: '1582103724607971328'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties:
                text: { type: string }
            example: { text: 'Thanks for reaching out!' }
      responses:
        '201':
          description: Sent.
          content:
            application/json:
              example: { data: { dm_event_id: '1582103724607971330', dm_conversation_id: '1582103724607971328' } }
`;

const LABS_OVERVIEW = `# Semantic Search (Labs)

An experiment: search public posts by meaning rather than by keywords. It may change or go
away; tell us what works and what does not with the **Feedback** button.`;

const LABS_OPENAPI = (origin: string): string => `openapi: 3.1.0
info:
  title: Semantic Search (Labs)
  version: 0.3.0
servers:
  - url: ${origin}/labs
paths:
  /semantic-search:
    get:
      operationId: semanticSearch
      summary: Search posts by meaning
      tags: [search]
      parameters:
        - name: q
          in: query
          required: true
          schema: { type: string }
          example: people excited about electric bikes
      responses:
        '200':
          description: The closest posts, best first.
          content:
            application/json:
              example: { data: [{ id: '1460323737035677698', score: 0.92 }] }
`;

interface DemoDocument {
  kind: DocumentKind;
  slug: string;
  title: string;
  /** Versions, oldest first; the last one is published unless `draft`. */
  versions: string[];
  draft?: string;
  position?: number;
}

async function seedDocuments(
  tx: EntityManager,
  staff: User,
  product: ApiProduct,
  documents: DemoDocument[],
  at: Date,
): Promise<void> {
  const settings = await settingsFor(tx, product);
  for (const demo of documents) {
    const document = new ProductDocument(ref(product), demo.kind, demo.slug);
    document.position = demo.position ?? 0;
    document.createdAt = at;
    tx.persist(document);
    const sources = [...demo.versions, ...(demo.draft ? [demo.draft] : [])];
    let published: DocumentRevision | null = null;
    sources.forEach((source, index) => {
      const revision = new DocumentRevision({
        document: ref(document),
        number: index + 1,
        title: demo.title,
        source,
        note: index === 0 ? 'First version' : 'Clearer wording',
        author: ref(staff),
      });
      revision.createdAt = new Date(at.getTime() + index * DAY);
      if (index < demo.versions.length) {
        revision.publishedAt = revision.createdAt;
        revision.publishedBy = ref(staff);
        published = revision;
      }
      tx.persist(revision);
    });
    document.latestNumber = sources.length;
    await tx.flush();
    if (!published) continue;
    const publishedRevision: DocumentRevision = published;
    document.publishedRevision = ref(publishedRevision);
    if (demo.kind === DocumentKind.OPENAPI) {
      const spec = await parseOpenApi(publishedRevision.source);
      tx.persist(endpointRows(ref(product), ref(publishedRevision), spec));
      settings.apiBaseUrl = spec.baseUrl;
    }
  }
}

async function settingsFor(tx: EntityManager, product: ApiProduct): Promise<ProductCatalogue> {
  const existing = await tx.findOne(ProductCatalogue, { product: product.id });
  if (existing) return existing;
  const settings = new ProductCatalogue(ref(product));
  tx.persist(settings);
  return settings;
}

function entry(
  tx: EntityManager,
  staff: User,
  product: ApiProduct,
  fields: Partial<ChangelogEntry> & {
    kind: ChangelogKind;
    title: string;
    publishedAt: Date | null;
  },
): ChangelogEntry {
  const created = new ChangelogEntry({
    product: ref(product),
    kind: fields.kind,
    title: fields.title,
    author: ref(staff),
  });
  Object.assign(created, fields);
  created.createdAt = fields.publishedAt ?? ago(DAY);
  tx.persist(created);
  return created;
}

/**
 * The catalogue's demo data: documentation (overview, quick start, migration guide, OpenAPI)
 * for the demo products, a changelog with a deprecation and a Labs product with feedback. The
 * deprecation impact view reads the demo usage of the public posts product (seed/usage.ts).
 */
export async function seedCatalogue(tx: EntityManager, demo: CatalogueDemo): Promise<void> {
  const { staff, products, apiOrigin: origin } = demo;
  const { publicPosts, directMessages, enterpriseSearch } = products;
  const start = ago(90 * DAY);

  await seedDocuments(
    tx,
    staff,
    publicPosts,
    [
      {
        kind: DocumentKind.OVERVIEW,
        slug: 'overview',
        title: 'Public Posts API',
        versions: [POSTS_OVERVIEW(origin)],
      },
      {
        kind: DocumentKind.QUICK_START,
        slug: 'quick-start',
        title: 'Quick start',
        versions: [
          POSTS_QUICK_START(origin).replace('Try the other endpoints', 'Try more'),
          POSTS_QUICK_START(origin),
        ],
        position: 1,
      },
      {
        kind: DocumentKind.MIGRATION_GUIDE,
        slug: 'timeline-migration',
        title: 'Migrating from the user timeline endpoint',
        versions: [POSTS_MIGRATION],
        draft: `${POSTS_MIGRATION}\n\nA code sample for each SDK is coming.`,
        position: 2,
      },
      {
        kind: DocumentKind.OPENAPI,
        slug: 'openapi',
        title: 'Public Posts API',
        versions: [POSTS_OPENAPI(origin)],
      },
    ],
    start,
  );
  (await settingsFor(tx, publicPosts)).docsPublic = true;

  await seedDocuments(
    tx,
    staff,
    directMessages,
    [
      {
        kind: DocumentKind.OVERVIEW,
        slug: 'overview',
        title: 'Direct Messages API',
        versions: [DM_OVERVIEW],
      },
      {
        kind: DocumentKind.OPENAPI,
        slug: 'openapi',
        title: 'Direct Messages API',
        versions: [DM_OPENAPI(origin)],
      },
    ],
    start,
  );

  await seedDocuments(
    tx,
    staff,
    enterpriseSearch,
    [
      {
        kind: DocumentKind.OVERVIEW,
        slug: 'overview',
        title: 'Enterprise Search',
        versions: [
          '# Enterprise Search\n\nFull-archive search over every public post, for organizations on the Pro plan or higher.',
        ],
      },
    ],
    start,
  );

  entry(tx, staff, publicPosts, {
    kind: ChangelogKind.NEW,
    title: 'Look posts up by id',
    body: '`GET /tweets/{id}` returns one post with its author.',
    endpointMethod: 'GET',
    endpointPath: '/tweets/{id}',
    publishedAt: ago(60 * DAY),
  });
  entry(tx, staff, publicPosts, {
    kind: ChangelogKind.CHANGED,
    title: 'Higher page size for user posts',
    body: '`max_results` now goes up to 100.',
    endpointMethod: 'GET',
    endpointPath: '/users/{id}/tweets',
    publishedAt: ago(20 * DAY),
  });
  entry(tx, staff, publicPosts, {
    kind: ChangelogKind.DEPRECATED,
    title: 'The user timeline endpoint is deprecated',
    body: 'Move to `GET /users/{id}/tweets`; see the migration guide.',
    endpointMethod: 'GET',
    endpointPath: '/users/{id}/timeline',
    deprecationAt: ago(7 * DAY),
    sunsetAt: from(60 * DAY),
    publishedAt: ago(7 * DAY),
  });
  entry(tx, staff, enterpriseSearch, {
    kind: ChangelogKind.DEPRECATED,
    title: 'Enterprise Search moves to the Search API v3',
    body: 'Enterprise Search is deprecated and will be switched off; a v3 product replaces it.',
    deprecationAt: ago(2 * DAY),
    sunsetAt: from(120 * DAY),
    publishedAt: ago(2 * DAY),
  });
  entry(tx, staff, publicPosts, {
    kind: ChangelogKind.NEW,
    title: 'Quote posts (draft)',
    body: 'Not announced yet.',
    publishedAt: null,
  });

  const labs = new ApiProduct('Semantic Search (Labs)', 'semantic-search-labs');
  labs.description = 'Experimental: search public posts by meaning.';
  labs.pathPrefixes = ['/labs/semantic-search'];
  labs.approvalMode = ApprovalMode.AUTO;
  labs.createdAt = ago(14 * DAY);
  tx.persist(labs);
  const labsSettings = new ProductCatalogue(ref(labs));
  labsSettings.labs = true;
  labsSettings.docsPublic = true;
  tx.persist(labsSettings);
  await tx.flush();
  await seedDocuments(
    tx,
    staff,
    labs,
    [
      {
        kind: DocumentKind.OVERVIEW,
        slug: 'overview',
        title: 'Semantic Search',
        versions: [LABS_OVERVIEW],
      },
      {
        kind: DocumentKind.OPENAPI,
        slug: 'openapi',
        title: 'Semantic Search',
        versions: [LABS_OPENAPI(origin)],
      },
    ],
    ago(14 * DAY),
  );
  const [first, second] = demo.developers;
  if (first) {
    const answered = new LabsFeedback({
      product: ref(labs),
      author: ref(first),
      rating: 4,
      text: 'Results are impressively relevant. Could the score be explained?',
    });
    answered.endpointMethod = 'GET';
    answered.endpointPath = '/semantic-search';
    answered.createdAt = ago(5 * DAY);
    answered.status = FeedbackStatus.ANSWERED;
    answered.answer = 'Thanks! An explanation field is on the way in 0.4.';
    answered.answeredBy = ref(staff);
    answered.answeredAt = ago(4 * DAY);
    tx.persist(answered);
  }
  if (second) {
    const open = new LabsFeedback({
      product: ref(labs),
      author: ref(second),
      rating: 2,
      text: 'Queries in French return nothing useful.',
    });
    open.createdAt = ago(DAY);
    tx.persist(open);
  }
}
