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
  const nginx = `# Inside the server block that proxies your API.
location / {
    auth_request /_portico_verify;
    # Who called, for your API's logs.
    auth_request_set $portico_app $upstream_http_x_portico_app;
    auth_request_set $portico_credential $upstream_http_x_portico_credential;
    proxy_set_header X-Portico-App $portico_app;
    proxy_set_header X-Portico-Credential $portico_credential;
    proxy_pass http://your_api_upstream;
}

location = /_portico_verify {
    internal;
    # The caller's Authorization or X-API-Key header is passed on as is.
    proxy_pass ${base}/v1/verify;
    proxy_ssl_server_name on;
    proxy_pass_request_body off;
    proxy_set_header Content-Length "";
    proxy_set_header X-Original-Method $request_method;
    proxy_set_header X-Original-URI $request_uri;
}
# NGINX passes a 401 or 403 on to the caller; any other status (such as 429) becomes a 500.`;
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
