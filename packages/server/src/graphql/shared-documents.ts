import { parse, type DocumentNode, type ParseOptions, type Source } from 'graphql';

/** Distinct documents kept; past it the least recently used goes. */
const MAX_DOCUMENTS = 1_000;
/** Longer documents are parsed each time and never kept. */
const MAX_SHARED_LENGTH = 16 * 1024;

/**
 * `parse` for WebSocket operations, sharing one parsed document per distinct text: every open
 * subscription keeps its document for its whole life, and thousands of clients subscribe with
 * the same few. graphql-js never changes a parsed document, so sharing it is safe. What does
 * not parse throws as `parse` does, and is not kept.
 */
export function sharedDocumentParser(): (
  source: string | Source,
  options?: ParseOptions,
) => DocumentNode {
  const documents = new Map<string, DocumentNode>();
  return (source, options) => {
    // Only plain texts parsed the default way are shared.
    if (typeof source !== 'string' || options || source.length > MAX_SHARED_LENGTH) {
      return parse(source, options);
    }
    const found = documents.get(source);
    if (found) {
      // Most recently used last.
      documents.delete(source);
      documents.set(source, found);
      return found;
    }
    const document = parse(source);
    documents.set(source, document);
    if (documents.size > MAX_DOCUMENTS) {
      const oldest = documents.keys().next().value;
      if (oldest !== undefined) documents.delete(oldest);
    }
    return document;
  };
}
