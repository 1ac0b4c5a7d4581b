import {
  Reference,
  ReferenceKind,
  wrap,
  type Dictionary,
  type EntityClass,
  type EntityDictionary,
  type EntityManager,
  type EntityMetadata,
  type Platform,
} from '@mikro-orm/postgresql';

/**
 * Reads through hand-written SQL that answer entities.
 *
 * `em.find` spends most of a small read building its statement (criteria, query builder,
 * knex) — about a millisecond of CPU each time, whatever the rows — and the dashboard's lists
 * run on every page load. A list read often enough says its statement once, selecting an
 * entity's columns with `selectColumns`, and turns each row into the entity `em.find` would
 * have made with `entityOf`: registered in the request's identity map (merged into an entity
 * it already holds), so that references resolve to it and later reads and flushes see it.
 *
 * In an operation that changes nothing (`markReadOnly`: a GraphQL query), `entitiesOf` makes
 * views instead: instances of the entity class holding the row's values, in no identity map.
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

/** The part of a `pg` client a statement needs (knex's pooled connections are `pg` clients). */
interface PgClient {
  query(config: {
    name?: string;
    text: string;
    values: readonly unknown[];
  }): Promise<{ rows: Dictionary[] }>;
}

/**
 * The ORMs (by their configuration, which every fork shares) whose statements `queryRows`
 * sends unnamed: for a pooler in transaction mode that cannot keep prepared statements.
 */
const unnamedStatements = new WeakSet<object>();

/** `queryRows` sends `orm`'s statements unnamed, to be parsed and planned every time. */
export function sendUnnamedStatements(orm: { config: object }): void {
  unnamedStatements.add(orm.config);
}

/**
 * At most this many statement texts are named; others are sent unnamed. `queryRows` is given
 * a fixed text per reader (lists go as one array parameter), so there are a few dozen.
 */
const MAX_NAMED_STATEMENTS = 500;

/** The name each statement text is prepared under, the same on every connection. */
const statementNames = new Map<string, string>();
let namesGiven = 0;

function statementNameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `portico_${(namesGiven += 1)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * PostgreSQL refuses a prepared statement whose result's columns changed type since it was
 * prepared (a migration ran while this instance was up), on every connection that prepared it.
 */
function isStalePlan(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === '0A000' &&
    err.message.includes('cached plan')
  );
}

/** The part of knex (or of its open transaction) that hands out its `pg` connection. */
interface KnexClient {
  client: {
    acquireConnection(): Promise<PgClient>;
    releaseConnection(connection: PgClient): Promise<unknown>;
  };
}

/**
 * The rows of `text` (`$n` placeholders; a list is one array value, as in `= any($1)`), sent
 * straight to `pg` on a connection of the ORM's pool, or on its open transaction's: the ORM
 * would inline every value into the statement's text first (escaping each, every time), and
 * knex would wrap the call in a runner of its own. The statement is logged as the ORM logs its
 * own (it is counted wherever the ORM's statements are).
 *
 * The statement is prepared: sent with a name, which each connection parses and plans once and
 * then only binds and runs (unless `sendUnnamedStatements`). PostgreSQL plans again by itself
 * when a table the statement reads changes; should a column it answers have changed type, the
 * text is given a new name, and a read outside a transaction is sent once more.
 */
export async function queryRows<R extends object = Dictionary>(
  em: EntityManager,
  text: string,
  values: readonly unknown[],
): Promise<R[]> {
  // The operation's own entity manager, or the one of the transaction it runs in.
  const context = em.getContext(false);
  const transaction: unknown = context.getTransactionContext();
  const knex = (transaction ?? context.getConnection().getKnex()) as unknown as KnexClient;
  const named = !unnamedStatements.has(em.config);
  const started = Date.now();
  const connection = await knex.client.acquireConnection();
  try {
    const name = named ? statementNameOf(text) : undefined;
    let rows: Dictionary[];
    try {
      ({ rows } = await connection.query(name ? { name, text, values } : { text, values }));
    } catch (err) {
      if (!name || !isStalePlan(err)) throw err;
      if (statementNames.get(text) === name) statementNames.delete(text);
      if (transaction) throw err;
      const renamed = statementNameOf(text);
      ({ rows } = await connection.query(
        renamed ? { name: renamed, text, values } : { text, values },
      ));
    }
    logStatement(em, text, started, rows.length);
    return rows as R[];
  } catch (err) {
    logStatement(em, text, started, undefined);
    throw err;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

function logStatement(
  em: EntityManager,
  query: string,
  started: number,
  results: number | undefined,
): void {
  em.config.getLogger().logQuery({
    query,
    took: Date.now() - started,
    ...(results === undefined ? { level: 'error' as const } : { results, level: 'info' as const }),
  });
}

/**
 * The rows of `text` (see `queryRows`) read for `entity`. First, as `em.find` does (MikroORM's
 * FlushMode.AUTO), changes to `entity` that wait to be flushed are flushed, so that the
 * statement sees them.
 */
export async function readRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  text: string,
  values: readonly unknown[],
): Promise<Dictionary[]> {
  const context = em.getContext();
  if (context.getUnitOfWork().shouldAutoFlush(metaOf(em, entity))) await context.flush();
  return queryRows(em, text, values);
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
  const data = propertiesOf(em, metaOf(em, entity), row, alias) as EntityDictionary<T>;
  return em
    .getContext(false)
    .getEntityFactory()
    .create(entity, data, { merge: true, convertCustomTypes: true });
}

/**
 * Entity managers of operations that change nothing (GraphQL queries): the rows they read
 * through `entitiesOf` become views, not managed entities.
 */
const readOnlyManagers = new WeakSet<EntityManager>();

/**
 * Marks `em` as the entity manager of an operation that changes nothing. Making a managed
 * entity costs more than the rest of its way to the answer: its tracking accessors, its
 * snapshot for change detection and its place in the identity map, then a getter call for
 * every field GraphQL reads. A query needs none of that; a view is an instance of the entity
 * class (its methods and getters work) holding the row's values as plain properties. Inside a
 * transaction the operation opens, reads still make managed entities.
 */
export function markReadOnly(em: EntityManager): void {
  readOnlyManagers.add(em);
}

/**
 * A property a view is made with, from one column: its value as MikroORM maps a row (a
 * boolean, a date) and then converts it (the property's custom type), or a reference's target
 * id.
 */
interface ViewProperty {
  name: string;
  /** The column the property is read from. */
  column: string;
  /** The referenced entity, for a many-to-one or owning one-to-one. */
  target: EntityMetadata | null;
  /**
   * For a reference: where a view keeps the target's id until the property is first read, and
   * then the reference (see `viewPrototypeOf`).
   */
  slot: symbol | null;
  /**
   * For a date: where a view keeps the column's text until the property is first read, and
   * then the Date (most dates a list reads are never shown).
   */
  dateSlot: symbol | null;
  /** The column's value as the property's; null for a value taken as it is. */
  convert: ((value: unknown) => unknown) | null;
}

/** Where a view keeps its operation's views (`Views`), from which its references are made. */
const VIEWS = Symbol('views');

const viewPropertiesByEntity = new WeakMap<EntityMetadata, ViewProperty[]>();

/**
 * A date column's value as MikroORM's result mapper makes it (`EntityComparator`): a Date or
 * null as it is, else parsed by the platform, in its time zone unless the value names one.
 */
function dateParser(platform: Platform): (value: unknown) => unknown {
  const zone = platform.getTimezone();
  const local = !zone || zone === 'local';
  return (value) => {
    if (value == null || value instanceof Date) return value;
    if (typeof value === 'bigint') return platform.parseDate(Number(value));
    if (local || typeof value === 'number') return platform.parseDate(value as string | number);
    const text = String(value);
    const named = text.includes('+') || text.lastIndexOf('-') > 10 || text.endsWith('Z');
    return platform.parseDate(named ? text : text + zone);
  };
}

/**
 * What a view of `meta` is made of: the properties of the columns `columnsOf` selects, each
 * with the conversions `em.find` gives its value (the result mapper's, then the custom type's).
 */
function viewPropertiesOf(meta: EntityMetadata, platform: Platform): ViewProperty[] {
  let properties = viewPropertiesByEntity.get(meta);
  if (!properties) {
    const columns = new Set(columnsOf(meta, '').map((column) => column.name));
    const parseDate = dateParser(platform);
    properties = meta.props
      .filter((prop) => prop.fieldNames?.length === 1 && columns.has(prop.fieldNames[0]!))
      .map((prop) => {
        const date = prop.runtimeType === 'Date' && !platform.isNumericProperty(prop);
        const mapped: ((value: unknown) => unknown) | null =
          prop.runtimeType === 'boolean'
            ? (value) => (value == null ? value : !!value)
            : date
              ? parseDate
              : null;
        const type = prop.customType;
        const custom = type
          ? (value: unknown) => (value == null ? value : type.convertToJSValue(value, platform))
          : null;
        return {
          name: prop.name,
          column: prop.fieldNames[0]!,
          target: prop.kind === ReferenceKind.SCALAR ? null : prop.targetMeta!,
          slot: prop.kind === ReferenceKind.SCALAR ? null : Symbol(prop.name),
          dateSlot: date && prop.kind === ReferenceKind.SCALAR ? Symbol(prop.name) : null,
          convert: mapped && custom ? (value) => custom(mapped(value)) : (mapped ?? custom ?? null),
        };
      });
    viewPropertiesByEntity.set(meta, properties);
  }
  return properties;
}

/** What an operation made: its views and its references to rows it has no view of. */
interface Views {
  /** The operation's entity manager, which makes its managed references. */
  readonly em: EntityManager;
  /** Views by entity and id. */
  readonly rows: Map<EntityMetadata, Map<unknown, object>>;
  /** The request's managed references by entity and id, each asked of MikroORM once. */
  readonly references: Map<EntityMetadata, Map<unknown, object>>;
  /** The loaded reference to each view, made once (a reference defines its own getters). */
  readonly viewReferences: Map<object, object>;
}

/**
 * The views an operation made, by entity and id: a row read again (one owner of many apps, an
 * app again as its credentials' app) is the view made first, and a reference to it is loaded.
 * Kept on the operation's EntityManager itself, not in a module-level WeakMap keyed by it: V8's
 * young-generation collector keeps the values of an old WeakMap alive through its next
 * collection even when their keys are already garbage (see `LoaderScope` in context.ts).
 */
const OPERATION_VIEWS = Symbol('operation views');

/** An EntityManager that made views: they are kept on it. */
type WithViews = EntityManager & { [OPERATION_VIEWS]?: Views };

/** The view of the row's entity under `alias`, made on first sight in the operation. */
function viewFor<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  row: Dictionary,
  alias: string,
  key: string,
): T {
  const holder = em as WithViews;
  let views = holder[OPERATION_VIEWS];
  if (!views)
    holder[OPERATION_VIEWS] = views = {
      em,
      rows: new Map(),
      references: new Map(),
      viewReferences: new Map(),
    };
  let made = views.rows.get(meta);
  if (!made) views.rows.set(meta, (made = new Map()));
  const id = row[key];
  let view = made.get(id) as T | undefined;
  if (!view) {
    view = viewOf(em, meta, row, alias, views);
    made.set(id, view);
  }
  return view;
}

/** The row's columns under `alias` as the entity's property values (names, dates, booleans). */
function propertiesOf<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  row: Dictionary,
  alias: string,
): Dictionary {
  const columns: EntityDictionary<T> = {};
  for (const column of columnsOf(meta, alias))
    (columns as Dictionary)[column.name] = row[column.as];
  return em.getContext(false).getDriver().mapResult(columns, meta) ?? {};
}

/**
 * A view of the entity whose columns `row` carries under `alias`, its properties read from the
 * row in one pass. A reference is made when it is first read (most never are): to the view of
 * its target when the operation has made one by then (a joined row: initialized, as a loaded
 * reference is), else to the request's managed reference, which loads as any other.
 */
function viewOf<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  row: Dictionary,
  alias: string,
  views: Views,
): T {
  return viewMakerOf(meta, em.getPlatform(), alias)(row, em, views) as T;
}

/** Makes a view of one entity from a row whose columns carry one alias (see `viewOf`). */
type ViewMaker = (row: Dictionary, em: EntityManager, views: Views) => object;

const viewMakers = new WeakMap<EntityMetadata, Map<string, ViewMaker>>();

/**
 * The maker of `meta`'s views from rows whose columns carry `alias`, compiled once (as
 * MikroORM compiles its hydrators): each property read from its column by name and stored
 * under its own name, so that a view costs a few plain property writes.
 */
function viewMakerOf(meta: EntityMetadata, platform: Platform, alias: string): ViewMaker {
  let byAlias = viewMakers.get(meta);
  if (!byAlias) viewMakers.set(meta, (byAlias = new Map()));
  let make = byAlias.get(alias);
  if (!make) {
    const properties = viewPropertiesOf(meta, platform);
    // Names come from the entity's metadata, quoted as string literals.
    const quote = (name: string): string => JSON.stringify(name);
    const lines = properties.map((property, i) => {
      const read = `row[${quote(`${alias}__${property.column}`)}]`;
      const value = property.convert ? `convert[${i}](${read})` : read;
      // A reference's target id, kept in its slot until the property is read; a date's text.
      if (property.slot) return `view[slots[${i}]] = ${value};`;
      if (property.dateSlot) return `view[slots[${i}]] = ${read};`;
      return `view[${quote(property.name)}] = ${value};`;
    });
    const referring = properties.some((property) => property.slot);
    const compile = new Function(
      'prototype',
      'convert',
      'slots',
      'VIEWS',
      `'use strict';
       return function makeView(row, em, views) {
         const view = Object.create(prototype);
         ${referring ? 'view[VIEWS] = views;' : ''}
         ${lines.join('\n')}
         return view;
       };`,
    ) as (
      prototype: object,
      convert: (((value: unknown) => unknown) | null)[],
      slots: (symbol | null)[],
      views: symbol,
    ) => ViewMaker;
    make = compile(
      viewPrototypeOf(meta, platform),
      properties.map((property) => property.convert),
      properties.map((property) => property.slot ?? property.dateSlot),
      VIEWS,
    );
    byAlias.set(alias, make);
  }
  return make;
}

/** A reference to `target`'s row `id`: to its view when the operation made one. */
function referenceTo(views: Views, target: EntityMetadata, id: unknown): object {
  const joined = views.rows.get(target)?.get(id);
  if (joined) {
    let loaded = views.viewReferences.get(joined);
    if (!loaded) views.viewReferences.set(joined, (loaded = new Reference(joined)));
    return loaded;
  }
  let references = views.references.get(target);
  if (!references) views.references.set(target, (references = new Map()));
  let reference = references.get(id);
  if (!reference) {
    reference = views.em.getReference(target.class, id as string, { wrapped: true });
    references.set(id, reference);
  }
  return reference;
}

const viewPrototypes = new WeakMap<EntityMetadata, object>();

/** The slot of each reference of the views of a prototype, by property name. */
const referenceSlots = new WeakMap<object, Map<string, symbol>>();

/** The properties of `T` that refer to an entity by a string id (`Ref<…>`, nullable or not). */
type ReferenceKeys<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends { readonly id: string } ? K : never;
}[keyof T] &
  string;

/**
 * The id `entity[property]` refers to, or null: of a view, read from the reference's slot,
 * without making the reference (see `viewPrototypeOf`); of a managed entity, its reference's.
 * For code that only groups or compares by the id, which is most of it.
 */
export function referencedId<T extends object>(
  entity: T,
  property: ReferenceKeys<T>,
): string | null {
  const slot = referenceSlots.get(Object.getPrototypeOf(entity) as object)?.get(property);
  const held: unknown = slot ? (entity as Record<symbol, unknown>)[slot] : entity[property];
  if (held == null) return null;
  return typeof held === 'object' ? (held as { id: string }).id : (held as string);
}

/**
 * Defines on a view prototype the property `name`, whose view keeps a raw value (a column's) in
 * `slot`: on first read it becomes the property's value (an object) by `resolve`, kept there.
 */
function defineLazy(
  prototype: object,
  name: string,
  slot: symbol,
  resolve: (held: unknown, view: Record<symbol, unknown>) => unknown,
): void {
  Object.defineProperty(prototype, name, {
    get(this: Record<symbol, unknown>): unknown {
      const held = this[slot];
      if (held == null || typeof held === 'object') return held;
      return (this[slot] = resolve(held, this));
    },
    set(this: Record<symbol, unknown>, value: unknown) {
      this[slot] = value;
    },
    configurable: true,
  });
}

/**
 * The prototype of `meta`'s views: the entity's, under plain data properties that shadow the
 * tracking setters MikroORM puts on it, so that a view's values are its own plain properties.
 * A reference is an accessor instead, which makes the reference from the target id in its slot
 * on first read (`referenceTo`) and keeps it there; so is a date, which parses its text.
 */
function viewPrototypeOf(meta: EntityMetadata, platform: Platform): object {
  let prototype = viewPrototypes.get(meta);
  if (!prototype) {
    prototype = Object.create(meta.prototype as object) as object;
    const slots = new Map<string, symbol>();
    referenceSlots.set(prototype, slots);
    for (const { name, slot, target, dateSlot, convert } of viewPropertiesOf(meta, platform)) {
      if (dateSlot && convert) {
        defineLazy(prototype, name, dateSlot, (held) => convert(held));
        continue;
      }
      if (slot && target) {
        slots.set(name, slot);
        defineLazy(prototype, name, slot, (held, view) =>
          referenceTo(view[VIEWS] as Views, target, held),
        );
        continue;
      }
      Object.defineProperty(prototype, name, {
        value: undefined,
        writable: true,
        configurable: true,
      });
    }
    viewPrototypes.set(meta, prototype);
  }
  return prototype;
}

/**
 * A view of a loaded `entity` (see `viewOf`): the same class and column values, belonging to no
 * EntityManager. An entity keeps the EntityManager that loaded it (and everything that one
 * holds) alive, which something kept for a long time, as a live subscription's viewer, must
 * not. For an entity of scalar properties only (as `User`): a reference would still lead back.
 */
export function detachedEntity<T extends object>(entity: T): T {
  const wrapped = wrap(entity, true);
  const meta = wrapped.__meta as EntityMetadata<T>;
  const copy = Object.create(viewPrototypeOf(meta, wrapped.__platform)) as Dictionary;
  for (const property of viewPropertiesOf(meta, wrapped.__platform)) {
    const value = (entity as Dictionary)[property.name] as unknown;
    if (value !== undefined) copy[property.name] = value;
  }
  return copy as T;
}

/**
 * Every `entity` of the apps `appIds` (its `app_id` column), newest first, grouped by app:
 * the per-app lists every dashboard load reads (credentials, grants).
 */
export async function readByApp<T extends { app: { id: string } }>(
  em: EntityManager,
  entity: EntityClass<T>,
  appIds: readonly string[],
): Promise<T[][]> {
  const rows = await readRows(
    em,
    entity,
    `select ${selectColumns(em, entity, 't')} from "${metaOf(em, entity).tableName}" as "t"
      where "t"."app_id" = any($1) order by "t"."created_at" desc, "t"."id" desc`,
    [appIds],
  );
  const byApp = new Map<string, T[]>(appIds.map((id) => [id, []]));
  // By the row's own column: reading `entity.app` of a view would make the reference.
  entitiesOf(em, entity, 't', rows).forEach((row, i) => {
    byApp.get(rows[i]!.t__app_id as string)?.push(row);
  });
  return appIds.map((id) => byApp.get(id)!);
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
  if (readOnlyManagers.has(em) && em.getContext(false) === em) {
    const joinedMetas = joined.map(([joinedEntity]) => metaOf(em, joinedEntity));
    const meta = metaOf(em, entity);
    const key = `${alias}__${meta.getPrimaryProps()[0]?.fieldNames[0] ?? 'id'}`;
    return rows.map((row) => {
      joined.forEach(([, joinedAlias], i) => {
        if (row[joinedKeys[i]!] != null) {
          viewFor(em, joinedMetas[i]!, row, joinedAlias, joinedKeys[i]!);
        }
      });
      return viewFor(em, meta, row, alias, key);
    });
  }
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
