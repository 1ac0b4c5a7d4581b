import type { Context } from '../../context.js';
import type { PermissionLevel } from '../apps/apps.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { requiredPermission } from '../products/permission-rule.js';
import { canReadDocs, settingsOf } from './catalogue.access.js';
import { changelogOf } from './catalogue.changelog.js';
import { ApiEndpoint, ChangelogKind, type ChangelogEntry } from './catalogue.entity.js';
import { catalogueLoaders } from './catalogue.loaders.js';
import { codeSamples, TOKEN_PLACEHOLDER } from './catalogue.samples.js';
import type {
  CodeSample,
  EndpointParameter,
  EndpointRequestBody,
  EndpointResponse,
} from './catalogue.types.js';

/** The product's endpoints (from its published OpenAPI), if the viewer may read its docs. */
export async function endpointsOf(ctx: Context, product: ApiProduct): Promise<ApiEndpoint[]> {
  if (!(await canReadDocs(ctx, product))) return [];
  return catalogueLoaders(ctx).endpointsByProduct.load(product.id);
}

/** An endpoint by id (for `node`), if the viewer may read its product's docs. */
export async function findEndpoint(ctx: Context, id: string): Promise<ApiEndpoint | null> {
  const endpoint = await ctx.em.findOne(ApiEndpoint, { id });
  if (!endpoint) return null;
  const product = await ctx.em.findOne(ApiProduct, { id: endpoint.product.id });
  return product && (await canReadDocs(ctx, product)) ? endpoint : null;
}

export async function productOfEndpoint(ctx: Context, endpoint: ApiEndpoint): Promise<ApiProduct> {
  return ctx.em.findOneOrFail(ApiProduct, { id: endpoint.product.id });
}

export async function baseUrlOf(ctx: Context, productId: string): Promise<string | null> {
  return (await settingsOf(ctx, productId))?.apiBaseUrl ?? null;
}

/**
 * The path the gateway sees for an endpoint: the path of the OpenAPI server URL, then the
 * operation's path (`https://api.example.com/2` + `/tweets` → `/2/tweets`).
 */
export function gatewayPathOf(baseUrl: string | null, path: string): string {
  if (!baseUrl) return path;
  let prefix = '';
  try {
    prefix = new URL(baseUrl).pathname;
  } catch {
    prefix = baseUrl.startsWith('/') ? baseUrl : '';
  }
  return `${prefix.replace(/\/+$/, '')}${path}`;
}

/** The permission level an app needs to call the endpoint: the gateway's own rule. */
export async function requiredPermissionOf(
  ctx: Context,
  endpoint: ApiEndpoint,
): Promise<PermissionLevel> {
  const product = await productOfEndpoint(ctx, endpoint);
  const base = await baseUrlOf(ctx, product.id);
  return requiredPermission(
    endpoint.method,
    gatewayPathOf(base, endpoint.path),
    product.dmPathPrefixes,
  );
}

export async function codeSamplesOf(ctx: Context, endpoint: ApiEndpoint): Promise<CodeSample[]> {
  const base = await baseUrlOf(ctx, endpoint.product.id);
  return codeSamples({
    method: endpoint.method,
    path: endpoint.path,
    baseUrl: base,
    details: endpoint.details,
  }).map((sample) => ({ ...sample, tokenPlaceholder: TOKEN_PLACEHOLDER }));
}

const exampleText = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? value
      : JSON.stringify(value, null, 2);

export function parametersOf(endpoint: ApiEndpoint): EndpointParameter[] {
  return endpoint.details.parameters.map((parameter) => ({
    ...parameter,
    example: exampleText(parameter.example),
  }));
}

export function requestBodyOf(endpoint: ApiEndpoint): EndpointRequestBody | null {
  const body = endpoint.details.requestBody;
  return body ? { ...body, example: exampleText(body.example) } : null;
}

export function responsesOf(endpoint: ApiEndpoint): EndpointResponse[] {
  return endpoint.details.responses.map((response) => ({
    ...response,
    example: exampleText(response.example),
  }));
}

/** The published deprecation of this endpoint (or, failing that, of its whole product). */
export async function endpointDeprecationOf(
  ctx: Context,
  endpoint: ApiEndpoint,
): Promise<ChangelogEntry | null> {
  const product = await productOfEndpoint(ctx, endpoint);
  const entries = (await changelogOf(ctx, product)).filter(
    (entry) => entry.publishedAt !== null && entry.kind === ChangelogKind.DEPRECATED,
  );
  return (
    entries.find(
      (entry) => entry.endpointMethod === endpoint.method && entry.endpointPath === endpoint.path,
    ) ??
    entries.find((entry) => entry.endpointMethod === null) ??
    null
  );
}
