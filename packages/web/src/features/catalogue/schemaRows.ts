/** Flattens a JSON Schema (as parsed from OpenAPI, references resolved) into rows to show. */

export interface SchemaRow {
  /** `name`, `items[]`, `owner.email` … */
  path: string;
  depth: number;
  type: string;
  required: boolean;
  description: string;
}

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short type: `string (email)`, `array of object`, `"a" | "b"`, `integer ≥ 1`. */
export function schemaType(schema: Schema): string {
  if (Array.isArray(schema.enum)) {
    return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  }
  const variants = (['oneOf', 'anyOf'] as const).find((key) => Array.isArray(schema[key]));
  if (variants) {
    const list = (schema[variants] as unknown[]).filter(isSchema).map(schemaType);
    return list.join(' | ');
  }
  const raw = schema.type;
  let type = Array.isArray(raw)
    ? raw.filter((t) => t !== 'null').join(' | ')
    : typeof raw === 'string'
      ? raw
      : isSchema(schema.properties)
        ? 'object'
        : 'any';
  if (type === 'array') {
    type = isSchema(schema.items) ? `array of ${schemaType(schema.items)}` : 'array';
  }
  if (typeof schema.format === 'string') type += ` (${schema.format})`;
  if (typeof schema.minimum === 'number') type += ` ≥ ${schema.minimum}`;
  if (typeof schema.maximum === 'number') type += ` ≤ ${schema.maximum}`;
  const nullable = schema.nullable === true || (Array.isArray(raw) && raw.includes('null'));
  return nullable ? `${type} | null` : type;
}

/**
 * The properties of an object schema (and of the objects inside it, arrays' items included),
 * depth first, at most `maxDepth` levels and `maxRows` rows; a loop cut by the server
 * (`$circular`) stops there.
 */
export function schemaRows(schema: unknown, maxDepth = 4, maxRows = 200): SchemaRow[] {
  const rows: SchemaRow[] = [];
  const walk = (node: Schema, prefix: string, depth: number) => {
    if (depth >= maxDepth || node.$circular === true) return;
    const target = node.type === 'array' && isSchema(node.items) ? node.items : node;
    const itemPrefix = target === node ? prefix : prefix ? `${prefix}[]` : '[]';
    const merged: Schema = { ...target };
    if (Array.isArray(target.allOf)) {
      const parts = target.allOf.filter(isSchema);
      merged.properties = Object.assign(
        {},
        ...parts.map((p) => p.properties ?? {}),
        target.properties,
      );
      merged.required = parts.flatMap((p) => (Array.isArray(p.required) ? p.required : []));
    }
    if (!isSchema(merged.properties)) return;
    const required = new Set(Array.isArray(merged.required) ? merged.required : []);
    for (const [name, value] of Object.entries(merged.properties)) {
      if (!isSchema(value) || rows.length >= maxRows) continue;
      const path = itemPrefix ? `${itemPrefix}.${name}` : name;
      rows.push({
        path,
        depth,
        type: schemaType(value),
        required: required.has(name),
        description: typeof value.description === 'string' ? value.description : '',
      });
      walk(value, path, depth + 1);
    }
  };
  if (isSchema(schema)) walk(schema, '', 0);
  return rows;
}

/** An example given as JSON text, pretty-printed; other text as it is. */
export function prettyExample(example: string | null | undefined): string | null {
  if (example === null || example === undefined || example === '') return null;
  try {
    const value: unknown = JSON.parse(example);
    // Objects and lists are laid out; any other value is shown as written (a long id such as
    // 1460323737035677698 would lose its last digits as a JavaScript number).
    return typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : example;
  } catch {
    return example;
  }
}

/** A parameter's example (JSON text) as one would type it: a string without its quotes. */
export function exampleAsText(example: string | null | undefined): string {
  if (example === null || example === undefined) return '';
  try {
    const value: unknown = JSON.parse(example);
    if (typeof value === 'string') return value;
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : example.trim();
  } catch {
    return example;
  }
}
