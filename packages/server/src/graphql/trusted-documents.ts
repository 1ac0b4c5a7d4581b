import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import type { DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Context, Viewer } from '../context.js';
import { untrustedDocument } from '../errors.js';

/**
 * Trusted documents: the operations of the web app, registered at its build by the SHA-256
 * hash of their normalized text (trusted-documents.json, see README "Trusted documents"). A
 * request signed in by the session cookie may run only these; a personal access token, or a
 * request signed in by nothing, may send any document.
 */

/** `enforce`: session requests run trusted documents only; `off`: any document (TRUSTED_DOCUMENTS). */
export type TrustedDocumentsMode = 'enforce' | 'off';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The hash a document is registered under: SHA-256 of its normalized print (definitions,
 * fields, arguments and variables sorted, white space reduced), as GraphQL Codegen's client
 * preset computes it. Two prints of the same document (the web app's, Apollo Client's, with
 * other white space or order) have the same hash.
 */
export function documentHash(document: DocumentNode): string {
  return createHash('sha256').update(printExecutableGraphQLDocument(document)).digest('hex');
}

/** The manifest `{ "<sha256>": "<document>" }`, checked; throws saying what is wrong. */
export function parseManifest(text: string, source: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source} must be a JSON object of SHA-256 hashes to documents.`);
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (!SHA256_HEX.test(hash) || typeof document !== 'string' || document === '') {
      throw new Error(`${source}: ${hash} is not a SHA-256 hash (hex) of a document.`);
    }
    documents.set(hash, document);
  }
  return documents;
}

export interface TrustedDocumentsOptions {
  /**
   * Read the file again when a hash or document is not found and the file changed since it
   * was read (development: `pnpm documents:write` takes effect without a restart).
   */
  reload?: boolean;
}

/** The web app's documents by hash, read from the manifest file. */
export class TrustedDocuments {
  private reading: Promise<boolean> | null = null;

  private constructor(
    private documents: ReadonlyMap<string, string>,
    private readonly file: string | null,
    private modifiedAt: number,
    private readonly reload: boolean,
  ) {}

  /** Reads the manifest `file`; throws when it is missing or malformed. */
  static async load(
    file: string,
    options: TrustedDocumentsOptions = {},
  ): Promise<TrustedDocuments> {
    let text: string;
    let modifiedAt: number;
    try {
      [text, modifiedAt] = await Promise.all([
        readFile(file, 'utf8'),
        stat(file).then((stats) => stats.mtimeMs),
      ]);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new Error(
        `Cannot read the trusted documents at ${file} (${String(code ?? err)}): run \`pnpm documents:write\` or set TRUSTED_DOCUMENTS_FILE.`,
      );
    }
    return new TrustedDocuments(
      parseManifest(text, file),
      file,
      modifiedAt,
      options.reload ?? false,
    );
  }

  /** Documents given in code (tests; a server with TRUSTED_DOCUMENTS=off and no manifest). */
  static of(documents: Readonly<Record<string, string>>): TrustedDocuments {
    return new TrustedDocuments(
      parseManifest(JSON.stringify(documents), 'the documents'),
      null,
      0,
      false,
    );
  }

  get size(): number {
    return this.documents.size;
  }

  /** The document registered under `hash`, if any. */
  async document(hash: string): Promise<string | undefined> {
    const found = this.documents.get(hash);
    if (found !== undefined || !(await this.reloaded())) return found;
    return this.documents.get(hash);
  }

  /** Whether `document` is registered (whatever its white space and order). */
  async trusts(document: DocumentNode): Promise<boolean> {
    const hash = documentHash(document);
    if (this.documents.has(hash)) return true;
    return (await this.reloaded()) && this.documents.has(hash);
  }

  /** Reads the file again if it changed since it was read; whether it did. */
  private async reloaded(): Promise<boolean> {
    if (!this.reload || !this.file) return false;
    const file = this.file;
    this.reading ??= (async () => {
      try {
        const { mtimeMs } = await stat(file);
        if (mtimeMs === this.modifiedAt) return false;
        this.documents = parseManifest(await readFile(file, 'utf8'), file);
        this.modifiedAt = mtimeMs;
        return true;
      } catch {
        // Half-written or gone for a moment: keep what was read before.
        return false;
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

/** Whether the viewer may run only trusted documents: signed in by the session cookie. */
export function needsTrustedDocument(mode: TrustedDocumentsMode, viewer: Viewer | null): boolean {
  return mode === 'enforce' && viewer?.via === 'session';
}

/** Apollo's persisted-query keys carry this prefix (PrefixingKeyValueCache). */
const APQ_PREFIX = 'apq:';

/**
 * Apollo Server's persisted-query store, answered from the trusted documents: a request may
 * send `extensions.persistedQuery.sha256Hash` alone (what the web app does), and a hash that
 * is not registered is PERSISTED_QUERY_NOT_FOUND. Nothing is ever registered: a document sent
 * with its hash runs as any document would, and is not stored.
 */
export function trustedDocumentsStore(
  documents: TrustedDocuments,
): NonNullable<PersistedQueryOptions['cache']> {
  return {
    get: (key) =>
      documents.document(key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key),
    set: async () => undefined,
    delete: async () => false,
  };
}

/**
 * Apollo plugin: a request signed in by the session cookie runs only trusted documents, read
 * by their hash or sent in full (then recognized by their normalized hash); any other document
 * is refused with TRUSTED_DOCUMENT_REQUIRED, HTTP 400, before it runs.
 */
export function trustedDocumentsPlugin(
  documents: TrustedDocuments,
  mode: TrustedDocumentsMode,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, metrics }) {
          if (!needsTrustedDocument(mode, contextValue.viewer)) return;
          // Read from the trusted documents by its hash (trustedDocumentsStore).
          if (metrics.persistedQueryHit) return;
          if (await documents.trusts(document)) return;
          const error = untrustedDocument();
          error.extensions.http = { status: 400 };
          throw error;
        },
      };
    },
  };
}
