import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
/** The media types Apollo Server answers a single result with, in its order of preference. */
const RESULT_TYPES = [
  JSON_TYPE,
  GRAPHQL_RESPONSE_TYPE,
  'application/json; callbackSpec=1.0; charset=utf-8',
];

/** The errors of a well-formed request whose document or variables are refused. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
]);

/** The media type Apollo Server will answer with, chosen as it chooses it. */
export function resultMediaType(accept: string | undefined): string | null {
  if (!accept) return JSON_TYPE;
  return new Negotiator({ headers: { accept } }).mediaType(RESULT_TYPES) ?? null;
}

/**
 * The GraphQL-over-HTTP status of a request error: a document that does not parse or
 * validate, or variables that do not coerce, are answered 400 in
 * `application/graphql-response+json` (what Apollo Client asks for) and, as the spec asks of
 * the legacy `application/json`, 200 with the errors. Apollo Server answers 400 in both.
 */
export function graphqlOverHttpStatus<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data !== undefined || !result.errors?.length) return;
          const requestErrors = result.errors.every((error) =>
            REQUEST_ERROR_CODES.has(String(error.extensions?.code)),
          );
          if (!requestErrors) return;
          const type = resultMediaType(request.http?.headers.get('accept'));
          if (type !== null && type !== GRAPHQL_RESPONSE_TYPE) response.http.status = 200;
        },
      };
    },
  };
}
