import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { answerRequestError } from './request-errors.js';

/**
 * GraphQL over HTTP answered straight from `node:http`, for the requests nearly every client
 * sends: a POST of a JSON body to /graphql. Express would answer them the same way, through a
 * router, a body parser and its own response helpers, at a cost that shows on every request
 * (the dashboard's above all). Any other request to /graphql (a GET, a compressed or chunked
 * body, another content type or charset, a body over the limit) is left to Express, which
 * answers or refuses it as before.
 */

/** The largest request body (the Express JSON parser's limit, 1mb). */
export const GRAPHQL_BODY_LIMIT = 1024 * 1024;

/** `application/json`, with no parameter but a UTF-8 charset. */
const JSON_UTF8 = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Whether `req` is a POST of a JSON body to /graphql that `graphqlHttpHandler` answers. */
export function isPlainGraphqlPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  if (url !== '/graphql' && !url.startsWith('/graphql?')) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const length = req.headers['content-length'];
  if (length === undefined || !/^\d{1,8}$/.test(length) || Number(length) > GRAPHQL_BODY_LIMIT) {
    return false;
  }
  return JSON_UTF8.test(req.headers['content-type'] ?? '');
}

/** A body the JSON parser refuses, as Express's parser reports it (see request-errors.ts). */
const notJson = { name: 'SyntaxError', type: 'entity.parse.failed', status: 400 } as const;

/**
 * The body as Express's JSON parser reads it: an empty body is an empty object; otherwise an
 * object or an array (strict), a byte-order mark ignored.
 */
function parseBody(text: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.length === 0) return {};
  const first = /^[ \t\n\r]*(.)/s.exec(json)?.[1];
  if (first !== '{' && first !== '[') throw notJson;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw notJson;
  }
}

/** The whole body of `req`, whose length its Content-Length gives (see isPlainGraphqlPost). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Answers a request `isPlainGraphqlPost` accepts with Apollo Server, as its Express integration
 * does: the request's headers and body in, the response's status, headers and body out.
 */
export function graphqlHttpHandler<C extends BaseContext>(
  apollo: ApolloServer<C>,
  context: (req: IncomingMessage, res: ServerResponse) => Promise<C>,
  log: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      let text: string;
      try {
        text = await readBody(req);
      } catch {
        // The client went away while sending: nobody is left to answer.
        res.destroy();
        return;
      }
      try {
        const body = parseBody(text);
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined)
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const url = req.url ?? '';
        const query = url.indexOf('?');
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: 'POST',
            headers,
            search: query === -1 ? '' : url.slice(query),
            body,
          },
          context: () => context(req, res),
        });
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.setHeader('content-length', Buffer.byteLength(response.body.string));
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      } catch (err) {
        answerRequestError(err, res, log);
      }
    })();
  };
}
