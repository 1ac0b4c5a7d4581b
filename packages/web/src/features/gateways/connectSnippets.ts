import canonicalNginxConfig from '../../../../../docs/nginx.conf?raw';

/**
 * The repository's tested NGINX configuration (docs/nginx.conf, run against a real NGINX by
 * the server's tests), pointed at this portal instead of 127.0.0.1:4000.
 */
export function nginxConfigFor(portalUrl: string): string {
  const url = new URL(portalUrl);
  const https = url.protocol === 'https:';
  const port = url.port || (https ? '443' : '80');
  let config = canonicalNginxConfig.replace(
    'server 127.0.0.1:4000;',
    `server ${url.hostname}:${port};`,
  );
  if (https) {
    config = config.replace(
      'proxy_pass http://portico_verify/v1/verify;',
      `proxy_pass https://portico_verify/v1/verify;\n        proxy_ssl_server_name on;\n        proxy_ssl_name ${url.hostname};`,
    );
  }
  return config;
}

/** The prefix of gateway tokens (`pgw_…`), as the server makes them. */
export const GATEWAY_TOKEN_PREFIX = 'pgw';

export interface ConnectSnippets {
  /** NGINX configuration that asks Portico about every request (`auth_request`). */
  nginx: string;
  /** A curl call reporting one event to `POST /v1/usage`. */
  usage: string;
}

/**
 * How a gateway talks to this portal at `portalUrl` (e.g. `https://portal.example.com`): the
 * verification endpoint for forward-auth, and usage reports with a gateway token. `now` dates
 * the example event (reports older than 7 days are refused).
 */
export function connectSnippets(portalUrl: string, now: Date = new Date()): ConnectSnippets {
  const base = portalUrl.replace(/\/+$/, '');
  const nginx = nginxConfigFor(base);
  const event = {
    credentialId: 'crd_…',
    product: '<product slug>',
    status: 200,
    responseTimeMs: 42,
    units: 1,
    time: new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString(),
  };
  const usage = `curl -X POST ${base}/v1/usage \\
  -H "Authorization: Bearer $PORTICO_GATEWAY_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '${JSON.stringify({ events: [event] }, null, 2)}'
# => 202 {"accepted":1}`;
  return { nginx, usage };
}
