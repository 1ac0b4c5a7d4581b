import { getArgumentValues, type GraphQLResolveInfo } from 'graphql';
import { badInput } from '../errors.js';
import { hasUnstorableCharacter } from './validation.js';

const UNSTORABLE_MESSAGE =
  'This text holds a character that cannot be stored (NUL or an unpaired surrogate).';

type Path = (string | number)[];

/** The path of the first string (value or object key) in `value` that cannot be stored. */
function findUnstorable(value: unknown): Path | null {
  const stack: { value: unknown; path: Path }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (hasUnstorableCharacter(current)) return path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        stack.push({ value: current[i], path: [...path, i] });
      }
    } else if (current !== null && typeof current === 'object' && !(current instanceof Date)) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i]!;
        if (hasUnstorableCharacter(key)) return path;
        stack.push({ value: inner, path: [...path, key] });
      }
    }
  }
  return null;
}

/**
 * Refuses arguments holding a NUL or an unpaired surrogate anywhere (ids, tokens, passwords,
 * filters, cursors as well as text), before a resolver can send them to PostgreSQL, which
 * cannot store NUL in text nor take unpaired surrogates in jsonb. The error names the field as
 * the services do: inside the `input` argument, its path there (`name`, `callbackUrls.1`);
 * otherwise the argument's own path (`id`, `filter.organizationId`).
 */
export function assertStorableArguments(args: Record<string, unknown> | null | undefined): void {
  if (!args) return;
  for (const [name, value] of Object.entries(args)) {
    const path = findUnstorable(value);
    if (path) {
      const field = name === 'input' && path.length ? path.join('.') : [name, ...path].join('.');
      throw badInput(field, UNSTORABLE_MESSAGE);
    }
  }
}

/** The same check for a field's arguments as written in the operation (e.g. in a `subscribe`). */
export function assertStorableArgumentsOf(info: GraphQLResolveInfo): void {
  const field = info.parentType.getFields()[info.fieldName];
  const node = info.fieldNodes[0];
  if (!field || !node) return;
  assertStorableArguments(getArgumentValues(field, node, info.variableValues));
}
