import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * What an operation costs, worked out from the document before it runs (as GitHub's GraphQL
 * API does):
 * - its `nodes`: each field that returns an object (or a list of them) counts 1, scalars and
 *   enums nothing; what is selected under a list counts once per item it may return: the
 *   `first` or `last` of a page (its default when not given, at most MAX_PAGE), or
 *   DEFAULT_LIST_SIZE for a plain list; the lists inside a page (`edges`, `nodes`) are that
 *   page's items and add no factor;
 * - its `cost` in points: one per NODES_PER_POINT nodes, rounded up, at least 1, and
 *   MUTATION_COST more per top-level mutation (writes weigh more than reads).
 */
export const COST = {
  NODES_PER_POINT: 100,
  MUTATION_COST: 5,
  DEFAULT_LIST_SIZE: 10,
  MAX_PAGE: 100,
  /** Objects one operation may return at most (GitHub's API allows 500,000). */
  MAX_NODES: 50_000,
} as const;

export interface OperationCost {
  /** Points spent from the caller's budget. */
  cost: number;
  /** Objects the operation may return at most. */
  nodes: number;
  /** The operation's kind (query, mutation, subscription). */
  kind: OperationDefinitionNode['operation'];
}

type Variables = Readonly<Record<string, unknown>> | undefined;

/**
 * Costs already worked out, by schema, document and operation name: the server parses a
 * document once and answers it many times (the web app sends the same few), so an operation
 * whose cost reads no variable is walked once. One that reads a variable (a page's `first`
 * given as `$first`) is walked each time.
 */
const costsByDocument = new WeakMap<
  GraphQLSchema,
  WeakMap<DocumentNode, Map<string, OperationCost | null>>
>();

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
): OperationCost | null {
  let bySchema = costsByDocument.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    costsByDocument.set(schema, bySchema);
  }
  let byOperation = bySchema.get(document);
  const key = operationName ?? '';
  const known = byOperation?.get(key);
  if (known !== undefined) return known;
  const { cost, readVariables } = workOutCost(schema, document, operationName, variables);
  if (!readVariables) {
    if (!byOperation) {
      byOperation = new Map();
      bySchema.set(document, byOperation);
    }
    byOperation.set(key, cost);
  }
  return cost;
}

function workOutCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
): { cost: OperationCost | null; readVariables: boolean } {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return { cost: null, readVariables: false };
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return { cost: null, readVariables: false };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const walker = new CostWalker(schema, fragments, variables);
  const nodes = walker.selectionCost(root, operation.selectionSet, new Set());
  let cost = Math.max(1, Math.ceil(nodes / COST.NODES_PER_POINT));
  if (operation.operation === 'mutation') {
    cost += COST.MUTATION_COST * walker.fieldsOf(root, operation.selectionSet, new Set()).length;
  }
  return { cost: { cost, nodes, kind: operation.operation }, readVariables: walker.readVariables };
}

class CostWalker {
  /** Whether the cost depended on a variable's value. */
  readVariables = false;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Variables,
  ) {}

  selectionCost(
    parent: GraphQLNamedType,
    selectionSet: SelectionSetNode,
    seenFragments: ReadonlySet<string>,
  ): number {
    let total = 0;
    for (const { field, type } of this.fieldsWithTypes(parent, selectionSet, seenFragments)) {
      const definition = fieldDefinition(type, field.name.value);
      if (!definition) continue;
      const named = getNamedType(definition.type);
      if (!isCompositeType(named) || !field.selectionSet) continue;
      const factor = this.itemsOf(type, field, definition);
      total += 1 + factor * this.selectionCost(named, field.selectionSet, seenFragments);
    }
    return total;
  }

  /** The top-level fields of a selection (through fragments), e.g. a mutation's. */
  fieldsOf(
    parent: GraphQLNamedType,
    selectionSet: SelectionSetNode,
    seenFragments: ReadonlySet<string>,
  ): FieldNode[] {
    return this.fieldsWithTypes(parent, selectionSet, seenFragments).map((f) => f.field);
  }

  /** How many items a field may return: 1 unless it is a list or a page of one. */
  private itemsOf(
    parent: GraphQLNamedType,
    field: FieldNode,
    definition: GraphQLField<unknown, unknown>,
  ): number {
    const page = this.pageSize(field, definition);
    if (page !== null) return page;
    if (!isListType(getNullableType(definition.type))) return 1;
    // `edges` and `nodes` of a connection are the page its parent field already counted.
    if (/(Connection|Edge)$/.test(parent.name)) return 1;
    return COST.DEFAULT_LIST_SIZE;
  }

  /** A page's size: `first` or `last` as asked, else its default; null for no page. */
  private pageSize(field: FieldNode, definition: GraphQLField<unknown, unknown>): number | null {
    const pageArgs = definition.args.filter((a) => a.name === 'first' || a.name === 'last');
    if (pageArgs.length === 0) return null;
    for (const arg of field.arguments ?? []) {
      if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
      const size = pageOf(this.valueOf(arg.value));
      if (size !== null) return size;
    }
    for (const arg of pageArgs) {
      const size = pageOf(arg.defaultValue);
      if (size !== null) return size;
    }
    return COST.DEFAULT_LIST_SIZE;
  }

  private valueOf(node: ValueNode): unknown {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      this.readVariables = true;
      return this.variables?.[node.name.value];
    }
    return undefined;
  }

  private fieldsWithTypes(
    parent: GraphQLNamedType,
    selectionSet: SelectionSetNode,
    seenFragments: ReadonlySet<string>,
  ): { field: FieldNode; type: GraphQLNamedType }[] {
    const out: { field: FieldNode; type: GraphQLNamedType }[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        out.push({ field: selection, type: parent });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (this.schema.getType(selection.typeCondition.name.value) ?? parent)
          : parent;
        out.push(...this.fieldsWithTypes(type, selection.selectionSet, seenFragments));
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        // A fragment spread twice along one path is a cycle (refused by validation anyway).
        if (!fragment || seenFragments.has(name)) continue;
        const type = this.schema.getType(fragment.typeCondition.name.value) ?? parent;
        const seen = new Set(seenFragments).add(name);
        out.push(...this.fieldsWithTypes(type, fragment.selectionSet, seen));
      }
    }
    return out;
  }
}

function pageOf(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.min(COST.MAX_PAGE, Math.max(1, Math.floor(value)));
}

function fieldDefinition(
  type: GraphQLNamedType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[name];
  return undefined;
}
