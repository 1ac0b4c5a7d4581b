import { registerNodeFinder } from '../../graphql/node.service.js';
import { findChangelogEntry } from './catalogue.changelog.js';
import { findDocument } from './catalogue.documents.js';
import { findEndpoint } from './catalogue.endpoints.js';
import { findLabsFeedback } from './catalogue.labs.js';
import {
  ApiEndpointResolver,
  CatalogueResolver,
  ChangelogEntryResolver,
  DocumentRevisionResolver,
  LabsFeedbackResolver,
  ProductCatalogueResolver,
  ProductDocumentResolver,
} from './catalogue.resolver.js';

registerNodeFinder('doc', (ctx, id) => findDocument(ctx, id));
registerNodeFinder('ept', (ctx, id) => findEndpoint(ctx, id));
registerNodeFinder('chg', (ctx, id) => findChangelogEntry(ctx, id));
registerNodeFinder('fbk', (ctx, id) => findLabsFeedback(ctx, id));

export { sendSunsetReminders } from './catalogue.changelog.js';
export { changelogFeed } from './catalogue.feed.js';
export { SANDBOX_TOKEN_PREFIX } from './catalogue.sandbox.js';
export { gatewayPathOf } from './catalogue.endpoints.js';

export const catalogueResolvers: Function[] = [
  CatalogueResolver,
  ProductCatalogueResolver,
  ProductDocumentResolver,
  DocumentRevisionResolver,
  ApiEndpointResolver,
  ChangelogEntryResolver,
  LabsFeedbackResolver,
];
