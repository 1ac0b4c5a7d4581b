import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../schema.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

/** Why `description` does not describe: missing, or empty / only whitespace. */
function fault(description: string | null | undefined): string | null {
  if (description == null) return 'no description';
  if (description.trim() === '') return 'an empty description';
  return null;
}

/**
 * Every element of the schema a third party sees, with what is wrong with its description:
 * types (objects, interfaces, unions, inputs, enums, scalars), fields, their arguments, input
 * fields and enum values. Built the way `schema.graphql` is emitted.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const faults: string[] = [];
  const check = (path: string, description: string | null | undefined) => {
    const problem = fault(description);
    if (problem) faults.push(`${path}: ${problem}`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) {
          check(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return faults.sort();
}

describe('the schema describes itself', () => {
  it('gives every type, field, argument, input field and enum value a description', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('counts an empty or blank description as missing', () => {
    expect(fault(undefined)).toBe('no description');
    expect(fault('')).toBe('an empty description');
    expect(fault(' \n\t')).toBe('an empty description');
    expect(fault('The app’s id.')).toBeNull();
  });
});
