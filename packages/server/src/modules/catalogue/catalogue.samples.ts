import type { EndpointDetails } from './catalogue.entity.js';

export enum CodeSampleLanguage {
  CURL = 'CURL',
  JAVASCRIPT = 'JAVASCRIPT',
  PYTHON = 'PYTHON',
}

/** What stands for the caller's credential in every sample: never a real secret. */
export const TOKEN_PLACEHOLDER = 'YOUR_API_TOKEN';

export interface CodeSampleInput {
  method: string;
  path: string;
  /** The product's base URL (its OpenAPI `servers`); a placeholder host when it has none. */
  baseUrl: string | null;
  details: EndpointDetails;
}

export interface CodeSampleText {
  language: CodeSampleLanguage;
  label: string;
  code: string;
}

const exampleText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value === null || value === undefined
      ? ''
      : JSON.stringify(value);

/** The request URL: path parameters filled from their examples, required query parameters added. */
export function sampleUrl(input: CodeSampleInput): string {
  const base = input.baseUrl ?? 'https://api.example.com';
  let path = input.path;
  const query: string[] = [];
  for (const parameter of input.details.parameters) {
    const example = exampleText(parameter.example);
    if (parameter.in === 'path' && example) {
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(example));
    } else if (parameter.in === 'query' && parameter.required) {
      query.push(
        `${encodeURIComponent(parameter.name)}=${encodeURIComponent(example || parameter.name)}`,
      );
    }
  }
  return `${base}${path}${query.length ? `?${query.join('&')}` : ''}`;
}

const quoteShell = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * Request samples for one endpoint in curl, JavaScript (fetch) and Python (requests). The
 * credential is the placeholder `YOUR_API_TOKEN` in the `Authorization: Bearer` header.
 */
export function codeSamples(input: CodeSampleInput): CodeSampleText[] {
  const method = input.method.toUpperCase();
  const url = sampleUrl(input);
  const body = input.details.requestBody;
  const bodyText =
    body && body.example !== null && body.example !== undefined
      ? typeof body.example === 'string'
        ? body.example
        : JSON.stringify(body.example, null, 2)
      : body
        ? '{}'
        : null;
  const contentType = body?.contentType ?? 'application/json';

  const curl = [
    `curl -X ${method} ${quoteShell(url)}`,
    `  -H ${quoteShell(`Authorization: Bearer ${TOKEN_PLACEHOLDER}`)}`,
    ...(bodyText !== null
      ? [`  -H ${quoteShell(`Content-Type: ${contentType}`)}`, `  --data ${quoteShell(bodyText)}`]
      : []),
  ].join(' \\\n');

  const jsHeaders = [
    `    Authorization: 'Bearer ${TOKEN_PLACEHOLDER}',`,
    ...(bodyText !== null ? [`    'Content-Type': ${JSON.stringify(contentType)},`] : []),
  ];
  const javascript = [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    `  method: ${JSON.stringify(method)},`,
    '  headers: {',
    ...jsHeaders,
    '  },',
    ...(bodyText !== null ? [`  body: JSON.stringify(${indent(bodyText, '  ')}),`] : []),
    '});',
    'console.log(response.status, await response.json());',
  ].join('\n');

  const python = [
    'import requests',
    '',
    `response = requests.request(`,
    `    ${JSON.stringify(method)},`,
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": "Bearer ${TOKEN_PLACEHOLDER}"},`,
    ...(bodyText !== null ? [`    json=${pythonLiteral(bodyText)},`] : []),
    ')',
    'print(response.status_code, response.json())',
  ].join('\n');

  return [
    { language: CodeSampleLanguage.CURL, label: 'curl', code: curl },
    { language: CodeSampleLanguage.JAVASCRIPT, label: 'JavaScript (fetch)', code: javascript },
    { language: CodeSampleLanguage.PYTHON, label: 'Python (requests)', code: python },
  ];
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/** JSON text as a Python literal (true/false/null spelt the Python way). */
function pythonLiteral(json: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return JSON.stringify(json);
  }
  return toPython(parsed, '    ');
}

function toPython(value: unknown, pad: string): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => toPython(item, pad)).join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return '{}';
  const inner = `${pad}    `;
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${toPython(item, inner)},`).join('\n')}\n${pad}}`;
}
