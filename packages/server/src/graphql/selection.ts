import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** The selections of each field node, through fragments and inline fragments. */
function fieldsOf(
  selectionSet: SelectionSetNode | undefined,
  info: GraphQLResolveInfo,
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...fieldsOf(selection.selectionSet, info));
    } else {
      fields.push(...fieldsOf(info.fragments[selection.name.value]?.selectionSet, info));
    }
  }
  return fields;
}

/**
 * The fields the query selects on what the current field returns, by name, each with its own
 * selections (every occurrence, under any alias), following `path` first (`['nodes']` for the
 * items of a connection). A list uses it to load only the fields its items will be asked for.
 */
export function selectedFields(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): Map<string, FieldNode[]> {
  let nodes: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    nodes = nodes.flatMap((node) =>
      fieldsOf(node.selectionSet, info).filter((field) => field.name.value === name),
    );
  }
  const selected = new Map<string, FieldNode[]>();
  for (const field of nodes.flatMap((node) => fieldsOf(node.selectionSet, info))) {
    const same = selected.get(field.name.value);
    if (same) same.push(field);
    else selected.set(field.name.value, [field]);
  }
  return selected;
}

/** The fields selected under `fields` (several occurrences of one field), as `selectedFields`. */
export function subfields(
  info: GraphQLResolveInfo,
  fields: readonly FieldNode[] | undefined,
): Map<string, FieldNode[]> {
  return selectedFields({ ...info, fieldNodes: fields ?? [] });
}
