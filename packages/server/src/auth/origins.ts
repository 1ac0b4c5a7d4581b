/*
 * Which web pages may open the GraphQL WebSocket. A browser sends the portal's session cookie
 * with a WebSocket upgrade whatever page opens it, so a page of another site must be refused
 * (cross-site WebSocket hijacking). Browsers always send `Origin` with an upgrade; clients that
 * are no browser (an SDK with a personal access token) send none, and have no cookie to borrow.
 */

/**
 * Whether an upgrade with this `Origin` may go on: none at all (not a browser), one of
 * `allowed` (the portal's public URL, the address it listens on, ALLOWED_ORIGINS), or the very
 * host the request was sent to (`Host`: a page of the portal itself, whatever name it was
 * reached by). Anything else, `null` included, is refused.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed.has(url.origin)) return true;
  return host !== undefined && url.host === host.toLowerCase();
}

/**
 * `text` read as an origin (`https://portal.example.com`, a port if any, nothing after it),
 * normalised as browsers send it; null when it is not one.
 */
export function parseOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  return url.origin;
}
