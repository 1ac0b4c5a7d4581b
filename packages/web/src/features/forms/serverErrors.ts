import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** What a failed mutation means for a form: messages per field, and the rest for an alert. */
export interface ServerFormErrors {
  fieldErrors: Record<string, string>;
  formError: string | null;
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Readonly<Record<string, unknown>>;
}

function graphQLErrorsOf(error: unknown): readonly GraphQLErrorLike[] | null {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  return null;
}

/**
 * Resolves a server `extensions.field` path (`name`, `callbackUrls.2`, `attributes.1.key`) to
 * the closest form field the form knows about; numeric segments that had to be dropped are
 * named in the message ("Line 3: …") so the user can find the offending item.
 */
function resolveField(
  path: string,
  knownFields: ReadonlySet<string>,
): { field: string; dropped: string[] } | null {
  const segments = path.split('.');
  for (let end = segments.length; end > 0; end -= 1) {
    const candidate = segments.slice(0, end).join('.');
    if (knownFields.has(candidate)) return { field: candidate, dropped: segments.slice(end) };
  }
  return null;
}

function describeDropped(dropped: readonly string[], message: string): string {
  const index = dropped.find((segment) => /^\d+$/.test(segment));
  return index === undefined ? message : `Line ${Number(index) + 1}: ${message}`;
}

/**
 * The server runs another build than this page: it does not know the page's trusted
 * documents (an unknown hash), or no longer has one of them.
 */
const STALE_PAGE_CODES = new Set(['PERSISTED_QUERY_NOT_FOUND', 'TRUSTED_DOCUMENT_REQUIRED']);
const STALE_PAGE = 'Portico was updated since this page was opened. Reload the page.';

/** What to show for one GraphQL error. */
function messageOf(error: GraphQLErrorLike): string {
  return STALE_PAGE_CODES.has(String(error.extensions?.code)) ? STALE_PAGE : error.message;
}

/** A readable message for an error that is not about one field. */
export function errorMessage(error: unknown): string {
  const graphQLErrors = graphQLErrorsOf(error);
  if (graphQLErrors && graphQLErrors.length > 0) {
    return [...new Set(graphQLErrors.map(messageOf))].join(' ');
  }
  if (ServerError.is(error)) return `The server answered ${error.statusCode}. Try again.`;
  if (error instanceof Error) {
    if (error.message === 'Failed to fetch' || error.name === 'TypeError') {
      return 'Cannot reach the server. Check your connection and try again.';
    }
    return error.message;
  }
  return 'Something went wrong. Try again.';
}

/** The stable `extensions.code` of the first GraphQL error, if any. */
export function errorCode(error: unknown): string | null {
  const code = graphQLErrorsOf(error)?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Splits the errors of a failed operation into field errors (by `extensions.field`, mapped to
 * `knownFields`, optionally renamed through `aliases`) and one form-level message for the rest.
 */
export function mapServerErrors(
  error: unknown,
  knownFields: Iterable<string>,
  aliases: Readonly<Record<string, string>> = {},
): ServerFormErrors {
  const known = new Set(knownFields);
  const graphQLErrors = graphQLErrorsOf(error);
  if (!graphQLErrors || graphQLErrors.length === 0) {
    return { fieldErrors: {}, formError: errorMessage(error) };
  }
  const fieldErrors: Record<string, string> = {};
  const rest: string[] = [];
  for (const graphQLError of graphQLErrors) {
    const rawField = graphQLError.extensions?.field;
    const path = typeof rawField === 'string' ? (aliases[rawField] ?? rawField) : null;
    const resolved = path ? resolveField(path, known) : null;
    if (resolved && fieldErrors[resolved.field] === undefined) {
      fieldErrors[resolved.field] = describeDropped(resolved.dropped, graphQLError.message);
    } else if (!resolved) {
      rest.push(messageOf(graphQLError));
    }
  }
  return { fieldErrors, formError: rest.length > 0 ? rest.join(' ') : null };
}
