import type { EntityManager } from '@mikro-orm/postgresql';
import { Feed } from 'feed';
import { ApiProduct } from '../products/products.entity.js';
import { productChangelogPath, publishedChangelog } from './catalogue.changelog.js';
import { ProductCatalogue } from './catalogue.entity.js';
import { renderMarkdown } from './catalogue.markdown.js';

export type FeedFormat = 'atom' | 'rss';

export interface RenderedFeed {
  contentType: string;
  body: string;
}

/**
 * The changelog of a live product with public docs as an Atom or RSS 2.0 feed (feed readers do
 * not sign in, so other products have none: null).
 */
export async function changelogFeed(
  em: EntityManager,
  baseUrl: string,
  slug: string,
  format: FeedFormat,
): Promise<RenderedFeed | null> {
  const product = await em.findOne(ApiProduct, { slug, archivedAt: null });
  if (!product) return null;
  const settings = await em.findOne(ProductCatalogue, { product: product.id });
  if (!settings?.docsPublic) return null;
  const entries = await publishedChangelog(em, product.id);
  const page = `${baseUrl}${productChangelogPath(product)}`;
  const self = `${baseUrl}/feeds/products/${product.slug}/changelog`;
  const feed = new Feed({
    id: page,
    title: `${product.name} changelog`,
    description: product.description,
    link: page,
    updated: entries[0]?.publishedAt ?? product.updatedAt,
    generator: 'Portico',
    copyright: '',
    feedLinks: { atom: `${self}.atom`, rss: `${self}.rss` },
  });
  for (const entry of entries) {
    const dates = [
      entry.deprecationAt
        ? `Deprecated from ${entry.deprecationAt.toISOString().slice(0, 10)}.`
        : '',
      entry.sunsetAt ? `Sunset on ${entry.sunsetAt.toISOString().slice(0, 10)}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const endpoint = entry.endpointMethod ? `${entry.endpointMethod} ${entry.endpointPath}: ` : '';
    feed.addItem({
      id: `${page}#${entry.id}`,
      link: `${page}#${entry.id}`,
      title: `[${entry.kind}] ${endpoint}${entry.title}`,
      date: entry.publishedAt ?? entry.createdAt,
      description: dates || undefined,
      content: renderMarkdown(entry.body) + (dates ? `<p>${dates}</p>` : ''),
      category: [{ name: entry.kind }],
    });
  }
  return format === 'atom'
    ? { contentType: 'application/atom+xml; charset=utf-8', body: feed.atom1() }
    : { contentType: 'application/rss+xml; charset=utf-8', body: feed.rss2() };
}
