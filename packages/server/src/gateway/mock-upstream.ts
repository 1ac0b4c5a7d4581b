import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { EndpointDetails } from '../modules/catalogue/catalogue.entity.js';
import { gatewayPathOf } from '../modules/catalogue/catalogue.endpoints.js';
import type { Gateway } from './gateway.js';
import { credentialOf, decisionBody, denialHeaders, rateHeaders, sendJson } from './http.js';
import type { Allowed } from './verify.js';

/** The answer's headers a page's script may read (CORS): the gateway's own. */
const EXPOSED_HEADERS = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-portico-reason',
  'retry-after',
  'deprecation',
  'sunset',
  'allow',
].join(', ');

interface EndpointRow {
  method: string;
  path: string;
  details: EndpointDetails;
  api_base_url: string | null;
}

/** An endpoint's path template (`/2/tweets/{id}`) as a pattern of whole path segments. */
function templatePattern(template: string): RegExp {
  const parts = template
    .split(/\{[^{}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`);
}

/** The first success response that has an example, else the first success response. */
function successOf(details: EndpointDetails): EndpointDetails['responses'][number] | null {
  const successes = details.responses.filter((r) => /^2\d\d$/.test(r.status));
  return (
    successes.find((r) => r.example !== undefined && r.example !== null) ?? successes[0] ?? null
  );
}

function allowedHeaders(decision: Allowed): Record<string, string | number> {
  const headers = rateHeaders(decision);
  if (decision.deprecation) {
    headers.deprecation = decision.deprecation.deprecation;
    if (decision.deprecation.sunset) headers.sunset = decision.deprecation.sunset;
  }
  return headers;
}

/**
 * A stand-in for the APIs behind the gateway, for demonstrations and trials: at the portal's
 * own origin, every live product's paths answer with the examples of its published OpenAPI
 * description. A request goes through the gateway first, exactly as behind NGINX: its
 * credential, grant, permission level, rate limit and caps are checked, it counts as usage,
 * and a refusal is the gateway's own answer. Switched by MOCK_UPSTREAM (on with the demo data).
 */
export class MockUpstream {
  constructor(
    private readonly gateway: Gateway,
    private readonly orm: MikroORM,
    private readonly log: Logger,
  ) {}

  /** Whether `path` belongs to a live product, so this answers it instead of the web app. */
  handles(path: string): boolean {
    return this.gateway.catalog.productForPath(path) !== null;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.answer(req, res).catch((err: unknown) => {
      this.log.error({ err }, 'mock upstream failed');
      if (!res.headersSent) sendJson(res, 500, { code: 'internal_error', message: 'Try again.' });
      else res.end();
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The body is never read: the examples do not depend on it.
    req.resume();
    // Any page may call it, as a public API answers a docs site's console: credentials are
    // bearer tokens, never cookies, so no origin gets anything it did not already hold.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, x-api-key',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const uri = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const decision = await this.gateway.verify({ token: credentialOf(req), method, uri });
    if (!decision.allowed) {
      sendJson(res, decision.status, decisionBody(decision), denialHeaders(decision));
      return;
    }
    const path = new URL(uri, 'http://upstream').pathname;
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<EndpointRow[]>(
        `select e.method, e.path, e.details, c.api_base_url
           from api_endpoint e left join product_catalogue c on c.product_id = e.product_id
          where e.product_id = ? order by e.position`,
        [decision.product.id],
      );
    const matching = rows.filter((row) =>
      templatePattern(gatewayPathOf(row.api_base_url, row.path)).test(path),
    );
    const headers = allowedHeaders(decision);
    const endpoint = matching.find((row) => row.method.toUpperCase() === method);
    if (!endpoint) {
      const allow = matching.map((row) => row.method.toUpperCase()).join(', ');
      if (allow) {
        sendJson(
          res,
          405,
          { code: 'method_not_allowed', message: `${path} answers ${allow}.` },
          { ...headers, allow },
        );
      } else {
        sendJson(
          res,
          404,
          { code: 'not_found', message: `No operation of the API description matches ${path}.` },
          headers,
        );
      }
      return;
    }
    const success = successOf(endpoint.details);
    const status = success ? Number(success.status) : 200;
    if (success?.example === undefined || success.example === null) {
      res.writeHead(status, { 'content-length': 0, 'cache-control': 'no-store', ...headers });
      res.end();
      return;
    }
    sendJson(res, status, success.example, headers);
  }
}
