// What /v1/verify answers an allowed request (same status, headers and body, fixed values):
// the baselines answer exactly this, so a ratio is the cost of deciding, not of the answer.
export const ALLOWED_BODY = '{"allowed":true}';
export const ALLOWED_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': ALLOWED_BODY.length,
  'cache-control': 'no-store',
  'x-portico-app': 'app_0000000000000000000000',
  'x-portico-org': 'org_0000000000000000000000',
  'x-portico-environment': 'production',
  'x-portico-credential': 'crd_0000000000000000000000',
  'x-portico-product': 'bench-api',
  'x-ratelimit-limit': 1000000000,
  'x-ratelimit-remaining': 999999999,
  'x-ratelimit-reset': 60,
};
