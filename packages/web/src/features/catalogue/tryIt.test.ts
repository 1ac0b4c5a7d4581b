import { describe, expect, it } from 'vitest';
import {
  buildTryItRequest,
  expandPath,
  formatResponseBody,
  headerList,
  joinUrl,
  methodTakesBody,
  pathPlaceholders,
  statusColor,
  type TryItParameter,
} from './tryIt';

const base = {
  method: 'GET',
  baseUrl: 'https://api.example.com/v2/',
  path: '/items/{itemId}',
  parameters: [
    { name: 'itemId', location: 'path', required: true },
    { name: 'expand', location: 'query', required: false },
    { name: 'X-Trace', location: 'header', required: false },
  ] satisfies TryItParameter[],
  values: { 'path:itemId': 'a/b c', 'query:expand': 'owner' },
  body: '',
  contentType: null,
  token: 'sbx_secret',
};

describe('path templates', () => {
  it('lists placeholders and escapes each value as one segment', () => {
    expect(pathPlaceholders('/orgs/{org}/items/{id}')).toEqual(['org', 'id']);
    expect(expandPath('/orgs/{org}/items/{id}', { org: 'o 1', id: '../x' })).toBe(
      '/orgs/o%201/items/..%2Fx',
    );
  });

  it('joins a base URL and a path with exactly one slash', () => {
    expect(joinUrl('https://a.example/v1/', '/items')).toBe('https://a.example/v1/items');
    expect(joinUrl('https://a.example', 'items')).toBe('https://a.example/items');
  });
});

describe('buildTryItRequest', () => {
  it('puts path, query and header values where they belong and the token in Authorization', () => {
    const { request, problems } = buildTryItRequest({
      ...base,
      values: { ...base.values, 'header:X-Trace': 't1' },
    });
    expect(problems).toEqual([]);
    expect(request).toEqual({
      method: 'GET',
      url: 'https://api.example.com/v2/items/a%2Fb%20c?expand=owner',
      headers: { 'X-Trace': 't1', Authorization: 'Bearer sbx_secret' },
      body: null,
    });
  });

  it('names each missing required parameter and sends nothing', () => {
    const { request, problems } = buildTryItRequest({ ...base, values: {} });
    expect(request).toBeNull();
    expect(problems).toEqual([{ field: 'path:itemId', message: 'itemId is required' }]);
  });

  it('asks for an undeclared path placeholder too', () => {
    const { problems } = buildTryItRequest({ ...base, path: '/x/{other}', parameters: [] });
    expect(problems.map((p) => p.field)).toEqual(['path:other']);
  });

  it('refuses a JSON body that does not parse, and a base URL that is not http(s)', () => {
    const bad = buildTryItRequest({ ...base, method: 'POST', body: '{nope', baseUrl: 'ftp://x' });
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['baseUrl', 'body']);
  });

  it('sends a body with its content type only for methods that take one', () => {
    const post = buildTryItRequest({ ...base, method: 'post', body: '{"a":1}' });
    expect(post.request?.method).toBe('POST');
    expect(post.request?.body).toBe('{"a":1}');
    expect(post.request?.headers['Content-Type']).toBe('application/json');
    const get = buildTryItRequest({ ...base, body: '{"a":1}' });
    expect(get.request?.body).toBeNull();
    expect(get.request?.headers['Content-Type']).toBeUndefined();
  });

  it('never lets a parameter replace the Authorization header', () => {
    const { request } = buildTryItRequest({
      ...base,
      parameters: [
        ...base.parameters,
        { name: 'authorization', location: 'header', required: false },
      ],
      values: { ...base.values, 'header:authorization': 'Bearer other' },
    });
    expect(request?.headers).toEqual({ Authorization: 'Bearer sbx_secret' });
  });
});

describe('reading the answer', () => {
  it('pretty-prints JSON and leaves other text alone', () => {
    expect(formatResponseBody('application/json', '{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(formatResponseBody('text/plain', 'hello')).toBe('hello');
    expect(formatResponseBody('application/json', '{broken')).toBe('{broken');
  });

  it('sorts headers and colours statuses', () => {
    expect(
      headerList([
        ['x-b', '1'],
        ['content-type', 'a'],
      ]),
    ).toEqual([
      ['content-type', 'a'],
      ['x-b', '1'],
    ]);
    expect([200, 302, 404, 503].map(statusColor)).toEqual(['teal', 'blue', 'orange', 'red']);
    expect(methodTakesBody('get')).toBe(false);
    expect(methodTakesBody('PATCH')).toBe(true);
  });
});
