import { describe, expect, it } from 'vitest';
import { useTestServer } from '../test/harness.js';

const server = useTestServer({ smtp: false });

async function postRaw(
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'apollo-require-preflight': 'true' },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.json(),
  };
}

const refusal = (message: string) => ({
  errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }],
});

describe('a /graphql body that cannot be read', () => {
  it.each([
    ['broken JSON', '{"query": "{ viewer { id } }", '],
    ['an unterminated array', '[1,2'],
    ['a bare string', '"{ viewer { id } }"'],
    ['null', 'null'],
  ])('answers %s with a typed JSON error, not an HTML page', async (_name, body) => {
    const answer = await postRaw(body);
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.body).toEqual(refusal('The request body is not a valid JSON object.'));
  });

  it('answers a body over 1 MB with 413 and a typed JSON error', async () => {
    const body = JSON.stringify({
      query: 'query ($x: String) { viewer { id } }',
      variables: { x: 'a'.repeat(1_100_000) },
    });
    const answer = await postRaw(body);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(refusal('The request is too large (1 MB at most).'));
  });

  it('answers another charset with 415 and a typed JSON error', async () => {
    const answer = await postRaw('{}', 'application/json; charset=latin9');
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual(refusal('Send the request as JSON in UTF-8.'));
  });
});
