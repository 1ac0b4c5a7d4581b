import { describe, expect, it } from 'vitest';
import { connectSnippets } from './connectSnippets';

describe('connectSnippets', () => {
  const now = new Date('2026-03-04T05:06:07.890Z');
  const snippets = connectSnippets('https://portal.example.com/', now);

  it('points the tested NGINX configuration at this portal', () => {
    expect(snippets.nginx).toContain('auth_request /_portico_verify;');
    expect(snippets.nginx).toContain('server portal.example.com:443;');
    expect(snippets.nginx).not.toContain('127.0.0.1:4000');
    expect(snippets.nginx).not.toContain('nginx.test.ts');
    expect(snippets.nginx).toContain('proxy_pass https://portico_verify/v1/verify;');
    expect(snippets.nginx).toContain('proxy_ssl_name portal.example.com;');
    expect(connectSnippets('http://127.0.0.1:4100').nginx).toContain('server 127.0.0.1:4100;');
    expect(snippets.nginx).toContain('proxy_set_header X-Original-URI $request_uri;');
    expect(snippets.nginx).toContain('proxy_set_header X-Original-Method $request_method;');
  });

  it('reports usage with a gateway token and a valid event', () => {
    expect(snippets.usage).toContain('curl -X POST https://portal.example.com/v1/usage');
    expect(snippets.usage).toContain('Authorization: Bearer $PORTICO_GATEWAY_TOKEN');
    expect(snippets.usage).toContain('Content-Type: application/json');
    const body = /-d '([^']*)'/.exec(snippets.usage)?.[1];
    expect(JSON.parse(body ?? '')).toEqual({
      events: [
        {
          credentialId: 'crd_…',
          product: '<product slug>',
          status: 200,
          responseTimeMs: 42,
          units: 1,
          time: '2026-03-04T05:06:00.000Z',
        },
      ],
    });
  });
});
