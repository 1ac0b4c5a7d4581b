import { AppStatus, PermissionLevel } from '../modules/apps/apps.entity.js';
import { CredentialKind } from '../modules/credentials/credentials.entity.js';
import { GrantStatus } from '../modules/grants/grants.entity.js';
import type { GatewayCatalog, ProductInfo } from './catalog.js';
import { deprecationFor, type DeprecationHeaders } from './deprecations.js';
import { requiredPermission } from '../modules/products/permission-rule.js';
import { credentialTokenProblem, lookupHash } from './credential-token.js';
import { normalizeOriginalPath, URI_PROBLEMS, type UriProblem } from './original-uri.js';
import {
  PERMISSION_RANK,
  SANDBOX_KIND,
  type CachedCredential,
  type CredentialCache,
} from './credential-cache.js';
import type { RateLimiter, RateLimitResult } from '../limits/rate-limiter.js';
import {
  nextMonthStart,
  prepareKey,
  type MonthCounters,
  type PreparedKey,
  type UsageBatch,
} from './usage-recorder.js';
import { looksLikeJwt, type OAuthAccessTokens } from './oauth-access.js';

export type DenyCode =
  | 'missing_original_uri'
  | 'bad_request'
  | 'ambiguous_path'
  | 'missing_credential'
  | 'malformed_credential'
  | 'public_identifier'
  | 'unknown_credential'
  | 'revoked_credential'
  | 'expired_credential'
  | 'unknown_product'
  | 'app_pending'
  | 'app_rejected'
  | 'app_suspended'
  | 'not_granted'
  | 'grant_pending'
  | 'grant_rejected'
  | 'grant_revoked'
  | 'insufficient_permission'
  | 'sandbox_other_product'
  | 'request_cap_exceeded'
  | 'unit_cap_exceeded'
  | 'rate_limited';

const MESSAGES: Readonly<Record<DenyCode, string>> = {
  missing_original_uri: 'Send the original request path in X-Original-URI or X-Forwarded-Uri.',
  bad_request: 'The original method or path is not valid.',
  ambiguous_path: 'The original path can be read in more than one way.',
  missing_credential: 'Send a credential in Authorization: Bearer or X-API-Key.',
  malformed_credential: 'This is not a Portico credential (wrong format or checksum).',
  public_identifier:
    'This is a public identifier, not a secret: send the secret that goes with it.',
  unknown_credential: 'No such credential.',
  revoked_credential: 'This credential was revoked.',
  expired_credential: 'This credential was rotated out and its grace period has ended.',
  unknown_product: 'No API product serves this path.',
  app_pending: 'The app is waiting for approval.',
  app_rejected: 'The app was rejected.',
  app_suspended: 'The app is suspended.',
  not_granted: 'The app has not been granted this API product.',
  grant_pending: "The app's request for this API product is waiting for approval.",
  grant_rejected: "The app's request for this API product was rejected.",
  grant_revoked: "The app's access to this API product was revoked.",
  insufficient_permission: "The app's permission level does not allow this request.",
  sandbox_other_product: 'This sandbox token works for one other API product only.',
  request_cap_exceeded: "The organization's monthly request cap for this API product is used up.",
  unit_cap_exceeded: "The organization's monthly unit cap for this API product is used up.",
  rate_limited: 'Too many requests: slow down and retry after the time given.',
};

export const STATUS_OF: Readonly<Record<DenyCode, 400 | 401 | 403 | 429>> = {
  missing_original_uri: 400,
  bad_request: 400,
  ambiguous_path: 400,
  missing_credential: 401,
  malformed_credential: 401,
  public_identifier: 401,
  unknown_credential: 401,
  revoked_credential: 401,
  expired_credential: 401,
  unknown_product: 403,
  app_pending: 403,
  app_rejected: 403,
  app_suspended: 403,
  not_granted: 403,
  grant_pending: 403,
  grant_rejected: 403,
  grant_revoked: 403,
  insufficient_permission: 403,
  sandbox_other_product: 403,
  request_cap_exceeded: 429,
  unit_cap_exceeded: 429,
  rate_limited: 429,
};

export interface VerifyRequest {
  token: string | undefined;
  method: string;
  /** The original request URI (path and maybe a query). */
  uri: string | undefined;
}

export interface Allowed {
  allowed: true;
  /** The product's or endpoint's published deprecation, for the response headers. */
  deprecation?: DeprecationHeaders | null;
  credential: CachedCredential;
  product: ProductInfo;
  environment: string;
  rate: RateLimitResult | null;
}

export interface Denied {
  allowed: false;
  status: 400 | 401 | 403 | 429;
  code: DenyCode;
  message: string;
  credential: CachedCredential | null;
  product: ProductInfo | null;
  rate: RateLimitResult | null;
  retryAfterSeconds: number | null;
  /** What exactly is wrong with the request (`ambiguous_path`, `bad_request`). */
  reason?: UriProblem | HeaderProblem;
  required?: PermissionLevel;
  granted?: PermissionLevel;
}

export type Decision = Allowed | Denied;

/** Original-request headers a gateway sent more than once, or twice with different values. */
export type HeaderProblem = 'duplicate_header' | 'conflicting_headers';

export function deny(
  code: DenyCode,
  extra: Partial<Omit<Denied, 'allowed' | 'status' | 'code'>> = {},
): Denied {
  return {
    allowed: false,
    status: STATUS_OF[code],
    code,
    message: MESSAGES[code],
    credential: null,
    product: null,
    rate: null,
    retryAfterSeconds: null,
    ...extra,
  };
}

const METHOD = /^[A-Z]{1,20}$/;
/** The methods gateways send, valid and in upper case as they come: no case mapping, no regex. */
const COMMON_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

const APP_STATUS_DENIALS: Partial<Record<AppStatus, DenyCode>> = {
  [AppStatus.PENDING]: 'app_pending',
  [AppStatus.REJECTED]: 'app_rejected',
  [AppStatus.SUSPENDED]: 'app_suspended',
};

const GRANT_DENIALS: Readonly<Record<GrantStatus, DenyCode | null>> = {
  [GrantStatus.APPROVED]: null,
  [GrantStatus.PENDING]: 'grant_pending',
  [GrantStatus.REJECTED]: 'grant_rejected',
  [GrantStatus.REVOKED]: 'grant_revoked',
  [GrantStatus.WITHDRAWN]: 'not_granted',
};

/** The level a request needs: reads need READ, writes READ_WRITE, DM paths READ_WRITE_DM. */
export function requiredLevel(method: string, path: string, product: ProductInfo): PermissionLevel {
  return requiredPermission(method, path, product.dmPrefixes);
}

/** What the credential may do: the app's level, but an app-only bearer token only reads. */
export function grantedLevel(credential: CachedCredential): PermissionLevel {
  return credential.kind === CredentialKind.BEARER_TOKEN
    ? PermissionLevel.READ
    : credential.permission;
}

export interface VerifierParts {
  catalog: GatewayCatalog;
  cache: CredentialCache;
  counters: MonthCounters;
  limiter: RateLimiter;
  usage: () => UsageBatch;
  lastUsed: Map<string, number>;
  /** OAuth access tokens (JWTs), checked against the authorization server's keys. */
  oauth: OAuthAccessTokens;
}

/**
 * Decides one verification. On a cache hit nothing here waits on the database: the
 * catalog, the credential, the month's counters and (without Redis) the rate-limit window
 * are all in memory, and the decision is made synchronously, without a promise. An allowed
 * request is counted in memory, written later in batches.
 */
export function decide(parts: VerifierParts, request: VerifyRequest): Decision | Promise<Decision> {
  if (request.uri === undefined || request.uri === '') return deny('missing_original_uri');
  // The one normalization (original-uri.ts), before anything is matched against the path.
  const path = normalizeOriginalPath(request.uri);
  const common = COMMON_METHODS.has(request.method);
  const method = common ? request.method : request.method.toUpperCase();
  if (typeof path !== 'string' && path.problem !== 'not_a_path') {
    return deny('ambiguous_path', { reason: path.problem, message: URI_PROBLEMS[path.problem] });
  }
  if (typeof path !== 'string' || !(common || METHOD.test(method))) {
    return deny('bad_request');
  }
  const token = request.token;
  if (!token) return deny('missing_credential');
  if (looksLikeJwt(token)) {
    return parts.oauth
      .resolve(token)
      .then((result) =>
        result.ok
          ? decideFor(parts, result.credential, method, path, Date.now())
          : deny(result.code),
      )
      .then((decision) => withDeprecation(decision, method, path));
  }

  // The cache holds only hashes of tokens that passed the checks below when they were first
  // looked up (found or not): a hash it holds needs no second look at the token's shape.
  const hash = lookupHash(token);
  const now = Date.now();
  const credential = hash === null ? undefined : parts.cache.peek(hash, now);
  if (credential === undefined) {
    const problem = credentialTokenProblem(token);
    if (problem !== null || hash === null) return deny(problem ?? 'malformed_credential');
    return parts.cache
      .load(hash)
      .then((loaded) => decideFor(parts, loaded, method, path, Date.now()))
      .then((decision) => withDeprecation(decision, method, path));
  }
  const decision = decideFor(parts, credential, method, path, now);
  return decision instanceof Promise
    ? decision.then((decided) => withDeprecation(decided, method, path))
    : withDeprecation(decision, method, path);
}

/** Adds the deprecation of the product or endpoint (nothing to do for most products). */
function withDeprecation(decision: Decision, method: string, path: string): Decision {
  if (decision.allowed && decision.product.deprecations) {
    decision.deprecation = deprecationFor(decision.product.deprecations, method, path);
  }
  return decision;
}

function decideFor(
  parts: VerifierParts,
  credential: CachedCredential | null,
  method: string,
  path: string,
  now: number,
): Decision | Promise<Decision> {
  if (credential === null) return deny('unknown_credential');
  if (credential.revoked || credential.appDeleted)
    return deny('revoked_credential', { credential });
  if (credential.expiresAt !== null && credential.expiresAt <= now) {
    return credential.kind === SANDBOX_KIND
      ? deny('expired_credential', { credential, message: 'This sandbox token has expired.' })
      : deny('expired_credential', { credential });
  }

  const product = parts.catalog.productForPath(path);
  if (!product) return deny('unknown_product', { credential });
  if (credential.onlyProductId && credential.onlyProductId !== product.id) {
    return deny('sandbox_other_product', { credential, product });
  }
  const appDenial = APP_STATUS_DENIALS[credential.appStatus];
  if (appDenial) return deny(appDenial, { credential, product });
  const grant = credential.grants.get(product.id);
  const grantDenial = grant === undefined ? 'not_granted' : GRANT_DENIALS[grant];
  if (grantDenial) return deny(grantDenial, { credential, product });

  const required = requiredLevel(method, path, product);
  const granted = grantedLevel(credential);
  if (PERMISSION_RANK[granted] < PERMISSION_RANK[required]) {
    return deny('insufficient_permission', { credential, product, required, granted });
  }

  const keys = keysOf(credential, product);
  const plan = parts.catalog.planFor(credential.organizationId, product.id);
  if (!plan) return allow(parts, credential, product, keys, null, now);
  const month = parts.counters.get(credential.organizationId, product.id, now);
  if (plan.monthlyRequestCap !== null && month.requests >= plan.monthlyRequestCap) {
    return deny('request_cap_exceeded', {
      credential,
      product,
      retryAfterSeconds: secondsToNextMonth(now),
    });
  }
  if (plan.monthlyUnitCap !== null && month.units >= plan.monthlyUnitCap) {
    return deny('unit_cap_exceeded', {
      credential,
      product,
      retryAfterSeconds: secondsToNextMonth(now),
    });
  }
  const rate = parts.limiter.hit(keys.rateKey, plan.rateLimitRequests, plan.rateLimitWindowMs, now);
  return rate instanceof Promise
    ? rate.then((shared) => limited(parts, credential, product, keys, shared, now))
    : limited(parts, credential, product, keys, rate, now);
}

function secondsToNextMonth(now: number): number {
  return Math.ceil((nextMonthStart(now) - now) / 1000);
}

function limited(
  parts: VerifierParts,
  credential: CachedCredential,
  product: ProductInfo,
  keys: HitKeys,
  rate: RateLimitResult,
  now: number,
): Decision {
  if (!rate.allowed) {
    return deny('rate_limited', {
      credential,
      product,
      rate,
      retryAfterSeconds: rate.retryAfterSeconds,
    });
  }
  return allow(parts, credential, product, keys, rate, now);
}

/** What counting an allowed request of one credential for one product needs, made once. */
interface HitKeys {
  /** The rate-limit window's key. */
  readonly rateKey: string;
  /** The usage rows' key, prepared (its row id made once). */
  readonly usage: PreparedKey;
  /** The dev environment's label, or `production`. */
  readonly environment: string;
}

/**
 * Hit keys per cached credential and product. A credential reloaded from the database is a new
 * object, so its keys are made again (and the old ones go with the old object).
 */
const hitKeys = new WeakMap<CachedCredential, Map<string, HitKeys>>();

function keysOf(credential: CachedCredential, product: ProductInfo): HitKeys {
  let byProduct = hitKeys.get(credential);
  if (byProduct === undefined) {
    byProduct = new Map();
    hitKeys.set(credential, byProduct);
  }
  let keys = byProduct.get(product.id);
  if (keys === undefined) {
    const environment = credential.environments.get(product.id);
    keys = {
      rateKey: `${credential.credentialId}:${product.id}`,
      usage: prepareKey({
        organizationId: credential.organizationId,
        appId: credential.appId,
        productId: product.id,
        credentialId: credential.credentialId,
        environmentId: environment?.id ?? '',
      }),
      environment: environment?.label ?? 'production',
    };
    byProduct.set(product.id, keys);
  }
  return keys;
}

/** Counts an allowed request (in memory: written later in batches) and answers it. */
function allow(
  parts: VerifierParts,
  credential: CachedCredential,
  product: ProductInfo,
  keys: HitKeys,
  rate: RateLimitResult | null,
  now: number,
): Allowed {
  parts.counters.addRequest(credential.organizationId, product.id, now);
  parts.usage().addRequest(now, keys.usage);
  parts.lastUsed.set(credential.credentialId, now);
  return {
    allowed: true,
    credential,
    product,
    environment: keys.environment,
    rate,
  };
}
