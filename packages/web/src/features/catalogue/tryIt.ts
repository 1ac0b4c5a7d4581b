/** Pure helpers of the try-it console: building the request and reading the answer. */

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface TryItParameter {
  name: string;
  location: ParameterLocation;
  required: boolean;
}

export interface TryItRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface TryItProblem {
  /** The parameter (or `body`, `baseUrl`) the problem is about. */
  field: string;
  message: string;
}

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);
// Headers a page may not set (the browser refuses them) or that the console sets itself.
const RESERVED_HEADERS = new Set([
  'authorization',
  'cookie',
  'host',
  'origin',
  'referer',
  'content-length',
  'connection',
]);

/** Whether the console offers a request body for this method. */
export function methodTakesBody(method: string): boolean {
  return !METHODS_WITHOUT_BODY.has(method.toUpperCase());
}

/** The names of the `{placeholders}` of an OpenAPI path template, in order. */
export function pathPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1] ?? '');
}

/** Fills a path template (`/v1/items/{id}`), escaping each value as one path segment. */
export function expandPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^{}]+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}

/** Joins a base URL (with or without a path and a trailing slash) and an endpoint path. */
export function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `${base}${rest}`;
}

/**
 * Builds the request the console sends, or the problems that stop it: a missing required
 * parameter, an unusable base URL, a JSON body that does not parse. The token goes in
 * `Authorization` and nowhere else.
 */
export function buildTryItRequest(input: {
  method: string;
  baseUrl: string;
  path: string;
  parameters: readonly TryItParameter[];
  values: Readonly<Record<string, string>>;
  body: string;
  contentType: string | null;
  token: string | null;
}): { request: TryItRequest | null; problems: TryItProblem[] } {
  const problems: TryItProblem[] = [];
  const method = input.method.toUpperCase();
  const value = (parameter: TryItParameter): string =>
    (input.values[`${parameter.location}:${parameter.name}`] ?? '').trim();

  for (const parameter of input.parameters) {
    if (parameter.required && value(parameter) === '') {
      problems.push({
        field: `${parameter.location}:${parameter.name}`,
        message: `${parameter.name} is required`,
      });
    }
  }
  for (const name of pathPlaceholders(input.path)) {
    const declared = input.parameters.some((p) => p.location === 'path' && p.name === name);
    if (!declared && (input.values[`path:${name}`] ?? '').trim() === '') {
      problems.push({ field: `path:${name}`, message: `${name} is required` });
    }
  }

  let base: URL | null = null;
  try {
    base = new URL(input.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') base = null;
  } catch {
    base = null;
  }
  if (!base) {
    problems.push({ field: 'baseUrl', message: 'This product has no usable base URL' });
  }

  const takesBody = methodTakesBody(method) && input.body.trim() !== '';
  const isJson = (input.contentType ?? 'application/json').includes('json');
  if (takesBody && isJson) {
    try {
      JSON.parse(input.body);
    } catch {
      problems.push({ field: 'body', message: 'The body is not valid JSON' });
    }
  }
  if (problems.length > 0 || !base) return { request: null, problems };

  const pathValues: Record<string, string> = {};
  for (const name of pathPlaceholders(input.path))
    pathValues[name] = input.values[`path:${name}`] ?? '';
  const url = new URL(joinUrl(base.toString(), expandPath(input.path, pathValues)));
  const headers: Record<string, string> = {};
  for (const parameter of input.parameters) {
    const given = value(parameter);
    if (given === '') continue;
    if (parameter.location === 'query') url.searchParams.append(parameter.name, given);
    if (parameter.location === 'header' && !RESERVED_HEADERS.has(parameter.name.toLowerCase())) {
      headers[parameter.name] = given;
    }
  }
  if (takesBody) headers['Content-Type'] = input.contentType ?? 'application/json';
  if (input.token) headers.Authorization = `Bearer ${input.token}`;
  return {
    request: { method, url: url.toString(), headers, body: takesBody ? input.body : null },
    problems: [],
  };
}

/** Pretty-prints a JSON answer; any other text is shown as it came. */
export function formatResponseBody(contentType: string | null, text: string): string {
  const looksJson = (contentType ?? '').includes('json') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The answer's headers, sorted by name, as the browser lets the page read them. */
export function headerList(headers: Iterable<[string, string]>): [string, string][] {
  return [...headers].sort(([a], [b]) => a.localeCompare(b));
}

/** The colour of a status code's badge. */
export function statusColor(status: number): string {
  if (status >= 500) return 'red';
  if (status >= 400) return 'orange';
  if (status >= 300) return 'blue';
  return 'teal';
}
