import {
  ReferenceKind,
  type Dictionary,
  type EntityClass,
  type EntityDictionary,
  type EntityManager,
  type EntityMetadata,
} from '@mikro-orm/postgresql';

/**
 * Reads through hand-written SQL that still answer managed entities.
 *
 * `em.find` spends most of a small read building its statement (criteria, query builder,
 * knex) — about a millisecond of CPU each time, whatever the rows — and the dashboard's lists
 * run on every page load. A list read often enough says its statement once, selecting an
 * entity's columns with `selectColumns`, and turns each row into the entity `em.find` would
 * have made with `entityOf`: registered in the request's identity map (merged into an entity
 * it already holds), so that references resolve to it and later reads and flushes see it.
 */

/** A column of an entity's table and the name it is selected as (`<alias>__<column>`). */
interface Column {
  name: string;
  as: string;
}

/** The columns `em.find` reads of an entity, by table alias. */
const columnsByEntity = new WeakMap<EntityMetadata, Map<string, Column[]>>();

/** The columns `em.find` reads of an entity: its own and its foreign keys, lazy ones left out. */
function columnsOf(meta: EntityMetadata, alias: string): Column[] {
  let byAlias = columnsByEntity.get(meta);
  if (!byAlias) {
    byAlias = new Map();
    columnsByEntity.set(meta, byAlias);
  }
  let columns = byAlias.get(alias);
  if (!columns) {
    columns = meta.props
      .filter(
        (prop) =>
          (prop.kind === ReferenceKind.SCALAR ||
            prop.kind === ReferenceKind.MANY_TO_ONE ||
            (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) &&
          !prop.lazy &&
          !prop.formula &&
          prop.persist !== false,
      )
      .flatMap((prop) => prop.fieldNames)
      .map((name) => ({ name, as: `${alias}__${name}` }));
    byAlias.set(alias, columns);
  }
  return columns;
}

const metaOf = <T extends object>(em: EntityManager, entity: EntityClass<T>): EntityMetadata<T> =>
  em.getMetadata().get<T>(entity.name);

/**
 * The select list of `entity`'s columns from the table aliased `alias`, each named
 * `<alias>__<column>` so that one row can carry several entities (see `entityOf`).
 */
export function selectColumns<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  alias: string,
): string {
  return columnsOf(metaOf(em, entity), alias)
    .map((column) => `"${alias}"."${column.name}" as "${column.as}"`)
    .join(', ');
}

/**
 * The rows of `sql` (knex placeholders: `?`, an array standing for a list), run on the
 * request's connection or its open transaction's. First, as `em.find` does (MikroORM's
 * FlushMode.AUTO), changes to `entity` that wait to be flushed are flushed, so that the
 * statement sees them.
 */
export async function readRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  sql: string,
  params: unknown[],
): Promise<Dictionary[]> {
  const context = em.getContext();
  if (context.getUnitOfWork().shouldAutoFlush(metaOf(em, entity))) await context.flush();
  return context.execute<Dictionary[]>(sql, params);
}

/**
 * The managed `entity` whose columns `row` carries under `alias` (see `selectColumns`), as
 * `em.find` makes it: merged into the identity map of the request (or of its open
 * transaction). Make the entities a row's references point to first, so that the references
 * resolve to them.
 */
export function entityOf<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  row: Dictionary,
  alias: string,
): T {
  const meta = metaOf(em, entity);
  const columns: EntityDictionary<T> = {};
  for (const column of columnsOf(meta, alias))
    (columns as Dictionary)[column.name] = row[column.as];
  const context = em.getContext(false);
  const data = context.getDriver().mapResult(columns, meta) ?? {};
  return context.getEntityFactory().create(entity, data, { merge: true, convertCustomTypes: true });
}

/** An entity a statement joins, and the alias its columns are selected under. */
export type Joined = readonly [entity: EntityClass<object>, alias: string];

/**
 * The managed `entity` of each row (its columns under `alias`), each made after the entities
 * the row joins (`joined`; none for a row whose joined primary key is null, as a left join
 * gives), so that its references resolve to them.
 */
export function entitiesOf<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  alias: string,
  rows: readonly Dictionary[],
  joined: readonly Joined[] = [],
): T[] {
  const joinedKeys = joined.map(([joinedEntity, joinedAlias]) => {
    const [key] = metaOf(em, joinedEntity).getPrimaryProps()[0]?.fieldNames ?? ['id'];
    return `${joinedAlias}__${key}`;
  });
  // A joined entity repeats on many rows (one owner of many apps): made once per statement.
  const made = joined.map(() => new Set<unknown>());
  return rows.map((row) => {
    joined.forEach(([joinedEntity, joinedAlias], i) => {
      const key = row[joinedKeys[i]!];
      if (key == null || made[i]!.has(key)) return;
      made[i]!.add(key);
      entityOf(em, joinedEntity, row, joinedAlias);
    });
    return entityOf(em, entity, row, alias);
  });
}
