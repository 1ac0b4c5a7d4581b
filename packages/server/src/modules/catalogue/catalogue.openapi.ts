import SwaggerParser from '@apidevtools/swagger-parser';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { EndpointDetails } from './catalogue.entity.js';

/** A problem in an OpenAPI text, with the (1-based) line and column it is on. */
export class OpenApiProblem extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`Line ${line}, column ${column}: ${problem}`);
  }
}

export interface ParsedEndpoint {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  deprecated: boolean;
  details: EndpointDetails;
}

export interface ParsedOpenApi {
  title: string;
  version: string;
  /** The first `servers` URL, if any. */
  baseUrl: string | null;
  endpoints: ParsedEndpoint[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

interface Located {
  doc: Document;
  lines: LineCounter;
}

/** Line and column of the node at a JSON-pointer path (or of its nearest existing parent). */
function positionOf(located: Located, path: (string | number)[], key = false): [number, number] {
  let node: unknown = located.doc.contents;
  let keyNode: unknown = null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      const next = node.items[Number(segment)];
      if (next === undefined) break;
      keyNode = null;
      node = next;
    } else {
      break;
    }
  }
  const target = (key && keyNode ? keyNode : node) as Node | null;
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = located.lines.linePos(offset);
  return [line, col];
}

/** `/paths/~1users/get` → ['paths', '/users', 'get'] */
function pointerSegments(pointer: string): string[] {
  return pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

const describePath = (segments: string[]): string =>
  segments.length ? segments.join(' › ') : 'the document';

interface ValidationDetail {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

function detailsOf(error: unknown): ValidationDetail[] {
  if (!isObject(error) || !Array.isArray(error.details)) return [];
  return error.details.filter(
    (detail): detail is ValidationDetail =>
      isObject(detail) && typeof detail.instancePath === 'string',
  );
}

/** The most telling schema error: the deepest path, a concrete keyword before a `oneOf` summary. */
function pickDetail(details: ValidationDetail[]): ValidationDetail | undefined {
  const weight = (d: ValidationDetail) =>
    d.instancePath.split('/').length * 10 +
    (d.keyword === 'additionalProperties'
      ? 7
      : d.keyword === 'oneOf' || d.keyword === 'anyOf'
        ? 0
        : 5);
  return [...details].sort((a, b) => weight(b) - weight(a))[0];
}

function describeDetail(detail: ValidationDetail): string {
  const params = detail.params ?? {};
  if (detail.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `unknown property "${params.additionalProperty}"`;
  }
  if (detail.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return detail.message ?? 'is not valid';
}

/** External `$ref`s would make the server fetch files or URLs: only `#/…` references are taken. */
function findExternalRef(value: unknown, path: string[] = []): string[] | null {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findExternalRef(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && !item.startsWith('#')) return [...path, key];
    const found = findExternalRef(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * Reads and validates an OpenAPI 3 description (YAML or JSON). A problem is reported as an
 * `OpenApiProblem` naming the line and column it is on.
 */
export async function parseOpenApi(source: string): Promise<ParsedOpenApi> {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const located: Located = { doc, lines };
  const syntax = doc.errors[0];
  if (syntax) {
    const position = syntax.linePos?.[0] ?? { line: 1, col: 1 };
    throw new OpenApiProblem(
      position.line,
      position.col,
      syntax.message.split('\n')[0] ?? 'Syntax error',
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new OpenApiProblem(
      1,
      1,
      error instanceof Error ? error.message : 'Cannot read the document',
    );
  }
  if (!isObject(value)) throw new OpenApiProblem(1, 1, 'An OpenAPI description is an object.');
  const version = text(value.openapi);
  if (!/^3\.[01]\.\d+$/.test(version)) {
    const [line, column] = positionOf(located, ['openapi']);
    throw new OpenApiProblem(
      line,
      column,
      value.swagger
        ? 'Swagger 2 is not supported: convert it to OpenAPI 3.'
        : 'The "openapi" field must be 3.0.x or 3.1.x.',
    );
  }
  const external = findExternalRef(value);
  if (external) {
    const [line, column] = positionOf(located, external);
    throw new OpenApiProblem(line, column, 'Only local references ("#/…") are allowed.');
  }

  try {
    await SwaggerParser.validate(structuredClone(value) as never, {
      resolve: { external: false },
    });
  } catch (error) {
    const detail = pickDetail(detailsOf(error));
    if (detail) {
      const segments = pointerSegments(detail.instancePath);
      const unknown = detail.params?.additionalProperty;
      const [line, column] =
        detail.keyword === 'additionalProperties' && typeof unknown === 'string'
          ? positionOf(located, [...segments, unknown], true)
          : positionOf(located, segments);
      throw new OpenApiProblem(
        line,
        column,
        `${describePath(segments)}: ${describeDetail(detail)}`,
      );
    }
    const parentPath =
      isObject(error) && typeof error.parentPath === 'string' ? error.parentPath : null;
    const segments = parentPath ? pointerSegments(parentPath) : [];
    const [line, column] = positionOf(located, segments);
    const message =
      error instanceof Error ? error.message.split('\n')[0] : 'Not a valid OpenAPI description.';
    throw new OpenApiProblem(line, column, message ?? 'Not a valid OpenAPI description.');
  }

  const dereferenced = (await SwaggerParser.dereference(structuredClone(value) as never, {
    resolve: { external: false },
    dereference: { circular: 'ignore' },
  })) as unknown as Json;
  return {
    title: text(isObject(value.info) ? value.info.title : ''),
    version: text(isObject(value.info) ? value.info.version : ''),
    baseUrl: baseUrlOf(value),
    endpoints: endpointsOf(dereferenced),
  };
}

function baseUrlOf(spec: Json): string | null {
  const servers = Array.isArray(spec.servers) ? spec.servers : [];
  const first: unknown = servers[0];
  return isObject(first) && typeof first.url === 'string' ? first.url.replace(/\/+$/, '') : null;
}

/** A JSON-safe copy (a schema left circular by dereferencing is cut at the loop). */
function plain(value: unknown): Json | null {
  if (!isObject(value)) return null;
  const seen = new WeakSet<object>();
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return { $circular: true };
        seen.add(item);
      }
      return item;
    }),
  ) as Json;
}

function exampleOf(holder: Json): unknown {
  if (holder.example !== undefined) return holder.example;
  if (isObject(holder.examples)) {
    const first: unknown = Object.values(holder.examples)[0];
    if (isObject(first) && first.value !== undefined) return first.value;
  }
  if (isObject(holder.schema) && holder.schema.example !== undefined) return holder.schema.example;
  return null;
}

function firstContent(content: unknown): [string, Json] | null {
  if (!isObject(content)) return null;
  const entries = Object.entries(content).filter((entry): entry is [string, Json] =>
    isObject(entry[1]),
  );
  return entries.find(([type]) => type.includes('json')) ?? entries[0] ?? null;
}

function endpointsOf(spec: Json): ParsedEndpoint[] {
  const endpoints: ParsedEndpoint[] = [];
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      const byKey = new Map<string, Json>();
      for (const parameter of [...shared, ...own]) {
        if (isObject(parameter))
          byKey.set(`${text(parameter.in)}:${text(parameter.name)}`, parameter);
      }
      const body = isObject(operation.requestBody) ? operation.requestBody : null;
      const bodyContent = body ? firstContent(body.content) : null;
      const responses = isObject(operation.responses) ? operation.responses : {};
      endpoints.push({
        method: method.toUpperCase(),
        path,
        operationId:
          text(operation.operationId) || `${method}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
        summary: text(operation.summary),
        description: text(operation.description),
        tags: Array.isArray(operation.tags)
          ? operation.tags.filter((tag) => typeof tag === 'string')
          : [],
        deprecated: operation.deprecated === true,
        details: {
          parameters: [...byKey.values()].map((parameter) => ({
            name: text(parameter.name),
            in: text(parameter.in),
            required: parameter.required === true,
            description: text(parameter.description),
            schema: plain(parameter.schema),
            example: exampleOf(parameter) ?? null,
          })),
          requestBody:
            body && bodyContent
              ? {
                  required: body.required === true,
                  description: text(body.description),
                  contentType: bodyContent[0],
                  schema: plain(bodyContent[1].schema),
                  example: exampleOf(bodyContent[1]) ?? null,
                }
              : null,
          responses: Object.entries(responses)
            .filter((entry): entry is [string, Json] => isObject(entry[1]))
            .map(([status, response]) => {
              const content = firstContent(response.content);
              return {
                status,
                description: text(response.description),
                contentType: content?.[0] ?? null,
                schema: content ? plain(content[1].schema) : null,
                example: content ? (exampleOf(content[1]) ?? null) : null,
              };
            }),
        },
      });
    }
  }
  return endpoints;
}
